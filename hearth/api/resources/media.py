"""Photos: POST /api/v2/media (and v1), GET and PUT /api/v1/media/:id.

https://docs.joinmastodon.org/methods/media/
Hearth processes a photo while the upload request waits (strip metadata,
re-encode, blurhash), so the answer is 200 with the URL, never 202; GET
then answers 200 as well.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from hearth.api.auth import me, token
from hearth.api.errors import ApiError
from hearth.api.parsing import parse_id
from hearth.api.render import Renderer
from hearth.api.schemas import MediaOut
from hearth.posts import selectors, services

router = Router(tags=["media"])


class MediaIn(Schema):
    description: str = Field(default="", max_length=1500)
    # Accepted and ignored: Hearth crops nothing.
    focus: str = ""


class MediaUpdateIn(Schema):
    description: str | None = Field(default=None, max_length=1500)
    focus: str | None = None


def _upload(request: HttpRequest, file: UploadedFile, data: MediaIn) -> MediaOut:
    user = me(request)
    try:
        items = services.media_stage(
            owner=user, uploads=[services.MediaUpload(file=file, alt=data.description)]
        )
    except services.PostError as exc:
        raise ApiError(422, f"Validation failed: {str(exc).removeprefix('Photo 1: ')}") from None
    return Renderer(request, user).media(items[0])


@router.post("/v2/media", auth=token("write:media", bucket="media"), response=MediaOut)
def media_create(request: HttpRequest, file: File[UploadedFile], data: Form[MediaIn]) -> MediaOut:
    return _upload(request, file, data)


@router.post("/v1/media", auth=token("write:media", bucket="media"), response=MediaOut)
def media_create_v1(
    request: HttpRequest, file: File[UploadedFile], data: Form[MediaIn]
) -> MediaOut:
    return _upload(request, file, data)


@router.get("/v1/media/{media_id}", auth=token("write:media"), response=MediaOut)
def media_get(request: HttpRequest, media_id: str) -> MediaOut:
    user = me(request)
    item = selectors.media_get_own(viewer=user, media_id=parse_id(media_id))
    return Renderer(request, user).media(item)


@router.put("/v1/media/{media_id}", auth=token("write:media"), response=MediaOut)
def media_update(request: HttpRequest, media_id: str, data: MediaUpdateIn) -> MediaOut:
    user = me(request)
    item = selectors.media_get_own(viewer=user, media_id=parse_id(media_id))
    if data.description is not None:
        item = services.media_describe(media=item, owner=user, alt=data.description)
    return Renderer(request, user).media(item)
