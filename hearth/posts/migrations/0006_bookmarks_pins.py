# Bookmarks ("Saved") and pinned posts (hearth.posts.bookmarks, hearth.posts.pins).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import hearth.core.ids


class Migration(migrations.Migration):

    dependencies = [
        ('posts', '0005_milestones'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Bookmark',
            fields=[
                ('id', models.BigIntegerField(default=hearth.core.ids.snowflake, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookmarks', to='posts.post')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookmarks', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['user', '-id'], name='bookmark_user_id')],
                'constraints': [models.UniqueConstraint(fields=('user', 'post'), name='bookmark_unique')],
            },
        ),
        migrations.CreateModel(
            name='PinnedPost',
            fields=[
                ('id', models.BigIntegerField(default=hearth.core.ids.snowflake, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pinned_posts', to=settings.AUTH_USER_MODEL)),
                ('post', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile_pin', to='posts.post')),
            ],
            options={
                'indexes': [models.Index(fields=['author', '-id'], name='pinnedpost_author_id')],
            },
        ),
    ]
