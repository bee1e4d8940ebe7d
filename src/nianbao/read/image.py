"""Image reader (PNG, JPEG and other raster formats): every frame is a scanned
page read by OCR (:mod:`nianbao.read.ocr`)."""

from __future__ import annotations

import io
import warnings

from nianbao.model import ReportError, Source
from nianbao.read import ocr
from nianbao.read.document import Document, Table

MAX_PIXELS = 60_000_000  # about A4 at 900 dpi; bigger images are refused before decoding
MAX_FRAMES = 200


def read(data: bytes, source: Source) -> Document:
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    ocr.require()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise ReportError(f"图片过大（{img.width}×{img.height} 像素），请缩小后再识别")
            frames = [f.copy() for _, f in zip(range(MAX_FRAMES), ImageSequence.Iterator(img), strict=False)]
            frames = [ImageOps.exif_transpose(f) for f in frames]  # photos taken sideways
    except ReportError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ReportError("图片无法识别或过大，不是有效的 PNG/JPEG 文件") from e
    except (OSError, ValueError, SyntaxError) as e:
        raise ReportError("图片文件已损坏或不完整，无法打开") from e
    blocks = []
    tables = 0
    for number, frame in enumerate(frames, start=1):
        for _, block in ocr.read_image(frame, page=number, first_table=tables):
            blocks.append(block)
            tables += isinstance(block, Table)
    if not blocks:
        raise ReportError("图片中没有识别出文字")
    notes = [ocr.note()] + ocr.low_confidence(blocks)
    return Document(source, blocks, notes)
