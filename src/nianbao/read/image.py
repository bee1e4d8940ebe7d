"""Image reader (PNG, JPEG and other raster formats): every frame is a scanned
page read by OCR (:mod:`nianbao.read.ocr`)."""

from __future__ import annotations

import io
import warnings

from nianbao import limits
from nianbao.model import ReportError, Source
from nianbao.read import ocr
from nianbao.read.document import Document, Table

MAX_FRAMES = 200


def read(data: bytes, source: Source) -> Document:
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    ocr.require()
    budget = limits.budget()
    blocks = []
    tables = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            # every frame is charged to the file's pixel budget before any is recognised
            for _, f in zip(range(MAX_FRAMES), ImageSequence.Iterator(img), strict=False):
                budget.image(f.width, f.height, "图片（含多帧图片的每一帧）")
            for number, f in zip(range(1, MAX_FRAMES + 1), ImageSequence.Iterator(img), strict=False):
                frame = ImageOps.exif_transpose(f.copy())  # photos taken sideways
                for _, block in ocr.read_image(frame, page=number, first_table=tables):
                    blocks.append(block)
                    tables += isinstance(block, Table)
    except ReportError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ReportError("图片无法识别或过大，不是有效的 PNG/JPEG 文件") from e
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        raise ReportError("图片文件已损坏或不完整，无法打开") from e
    if not blocks:
        raise ReportError("图片中没有识别出文字")
    notes = [ocr.note()] + ocr.low_confidence(blocks)
    return Document(source, blocks, notes)
