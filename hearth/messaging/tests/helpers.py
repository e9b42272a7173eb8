from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hearth.accounts.models import User
from hearth.conftest import committed
from hearth.messaging.models import Conversation, Message
from hearth.messaging.services import PhotoUpload, conversation_start


def jpeg(name: str = "p.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def start(
    initiator: User, *others: User, text: str = "Hello there", photo: bool = False, title: str = ""
) -> tuple[Conversation, Message]:
    with committed():
        return conversation_start(
            initiator=initiator,
            recipients=list(others),
            text=text,
            title=title,
            photos=[PhotoUpload(file=jpeg(), alt="a sunrise")] if photo else [],
        )
