"""The parts of the OCR reader that need no model: ruling lines and skew
(rulings), lines of text in cells (textlines), and strip recognition with a
stand-in model that 'reads' the ink it is shown (recognize)."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")

from nianbao.read import recognize, rulings, textlines  # noqa: E402
from nianbao.read.recognize import Crop  # noqa: E402


def _page(w: int = 1240, h: int = 900) -> np.ndarray:
    return np.full((h, w), 255, np.uint8)


def _table(page: np.ndarray, xs: list[int], ys: list[int], *, skip: tuple[int, int] | None = None) -> None:
    """Draw a grid; ``skip=(row, col)`` leaves out the line left of that slot (a merged cell)."""
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 2)
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if skip != (r, c):
                cv2.line(page, (x, ys[r]), (x, ys[r + 1]), 0, 2)


def test_grid_cells_and_a_merged_cell():
    page = _page()
    xs, ys = [100, 400, 700, 1000], [100, 160, 220, 280]
    _table(page, xs, ys, skip=(1, 2))
    (grid,), mask = rulings.find(page)
    assert len(grid.xs) == 4 and len(grid.ys) == 4
    assert all(abs(a - b) <= 3 for a, b in zip(grid.xs, xs, strict=True))
    assert grid.cells[1][1] == grid.cells[1][2] == (1, 1, 1, 2)  # no line between them: one cell
    assert len(grid.spans()) == 8
    assert mask[ys[0], 250] and not mask[130, 250]  # the line is in the mask, the cell inside is not


def test_a_line_along_one_section_only_still_separates_its_columns():
    """表二: four columns in one section, two in the next; the inner lines are short."""
    page = _page(h=1754)
    xs, ys = [100, 400, 700, 1000], [100, 140, 180, 220, 260, 300, 340, 380, 420, 460, 500]
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 2)
    for x in (xs[0], xs[-1]):
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 2)
    for x in xs[1:-1]:
        cv2.line(page, (x, ys[0]), (x, ys[2]), 0, 2)  # 80 px of 400: a fifth of the table
    (grid,), _ = rulings.find(page)
    assert len(grid.xs) == 4
    assert grid.cells[0][0] != grid.cells[0][1]  # separated in the first section
    assert grid.cells[5][0] == grid.cells[5][2]  # one cell across in the others


@pytest.mark.parametrize("angle", [0.8, -0.5, 0.3])
def test_a_skewed_page_is_straightened(angle):
    page = _page()
    _table(page, [100, 400, 700, 1000], [100, 160, 220, 280, 340])
    turn = cv2.getRotationMatrix2D((620, 450), angle, 1.0)
    skewed = cv2.warpAffine(page, turn, (1240, 900), borderValue=255)
    level, turned = rulings.straightened(skewed)
    assert turned == pytest.approx(-angle, abs=0.06)
    assert abs(rulings.straightened(level)[1]) < rulings.LEVEL  # level now


def test_a_level_page_or_a_page_without_lines_is_left_alone():
    page = _page()
    _table(page, [100, 400, 700], [100, 160, 220])
    assert rulings.straightened(page)[0] is page
    assert rulings.straightened(_page())[1] == 0.0


def test_cell_ink_bands_make_lines():
    """Two wrapped lines are two; the strokes of 三 are one line; a speck is nothing."""
    cell = np.zeros((80, 200), np.uint8)
    cell[5:22, 10:150] = 255  # line 1
    cell[30:47, 10:90] = 255  # line 2
    bands = textlines._bands(cell)
    assert bands == [(5, 22), (30, 47)]
    assert textlines._lines(bands, 1.5 * 17) == [(5, 22), (30, 47)]
    three = [(10, 12), (17, 19), (24, 27)]  # 三: three strokes within one line's height
    assert textlines._lines(three, 1.5 * 17) == [(10, 27)]
    speck = np.zeros((40, 40), np.uint8)
    speck[20, 20] = 255
    assert textlines._bands(speck) == []


def test_cells_give_crops_with_a_margin():
    text = np.zeros((300, 1000), np.uint8)
    grid = rulings.Grid([[(0, 0, 0, 0), (0, 1, 0, 1)]], [100, 400, 700], [100, 160])
    text[120:137, 110:200] = 255  # a label
    text[121:137, 420:430] = 255  # a narrow number
    crops = textlines.in_cells(text, [grid])
    assert [(c.x0, c.top, c.x1, c.bottom) for c in crops] == [(110, 120, 200, 137), (420, 121, 430, 137)]
    assert all(c.margin >= 6 for c in crops)


def test_page_outside_tables():
    free = textlines._free([(100, 200, 1100, 600)], 900, 1240)
    assert (0, 0, 1240, 200) in free and (0, 600, 1240, 900) in free
    assert (0, 200, 100, 600) in free and (1100, 200, 1240, 600) in free


def test_strips_keep_reading_order_and_width():
    widths = [300, 500, 200, 900, 50]
    strips = recognize._strips(widths)
    assert [k for s in strips for k in s] == [0, 1, 2, 3, 4]
    for s in strips:
        assert len(s) == 1 or recognize.GAP + sum(widths[k] + recognize.GAP for k in s) <= recognize.STRIP


class _Ink:
    """A stand-in recogniser: every 8-px step holding dark pixels emits the character
    of its crop ('a', 'b', ... by order in the strip), a blank elsewhere. Characters
    numbered in ``weak`` come out with confidence 0.6 when read in a strip of several."""

    class postprocess_op:  # noqa: N801 - the attribute rapidocr's recogniser has
        character = ["blank", "a", "b", "c", "d", " "]

    def __init__(self, confidence: float = 0.99, weak: frozenset[int] = frozenset()):
        self.confidence, self.weak, self.calls = confidence, weak, []

    def session(self, batch):
        self.calls.append(batch.shape)
        steps = batch.shape[3] // 8
        out = []
        for item in batch:
            dark = [bool((item[0, :, t * 8 : t * 8 + 8] < -0.5).any()) for t in range(steps)]
            starts = [t for t in range(steps) if dark[t] and (t == 0 or not dark[t - 1])]
            probs = np.zeros((steps, 6), np.float32)
            probs[:, 0] = 1.0
            for t in range(steps):
                if dark[t]:
                    run = sum(1 for s in starts if s <= t) - 1
                    weak = run in self.weak and len(starts) > 1
                    probs[t] = 0.0
                    probs[t, min(run + 1, 4)] = 0.6 if weak else self.confidence
            out.append(probs)
        return np.stack(out)


def _two_marks() -> tuple[np.ndarray, list[Crop]]:
    page = _page(600, 100)
    page[40:60, 50:66] = 0
    page[40:60, 200:216] = 0
    return page, [Crop(50, 40, 66, 60, 6), Crop(200, 40, 216, 60, 6)]


def test_strip_characters_go_back_to_their_crops():
    page, crops = _two_marks()
    page[40:60, 400:416] = 0
    crops.append(Crop(400, 40, 416, 60, 6))
    model = _Ink()
    lines = recognize.read(model, page, crops)
    assert [ln.box.text for ln in lines] == ["a", "b", "c"]
    assert len(model.calls) == 1  # one strip, nothing read twice
    for ln, c in zip(lines, crops, strict=True):
        (ch,) = ln.chars
        assert c.x0 - 1 <= ch.x0 < ch.x1 <= c.x1 + 1  # back in page pixels
        assert ln.box.top == c.top - c.margin and ln.box.confidence == pytest.approx(0.99)


def test_a_doubtful_crop_is_read_again_alone():
    page, crops = _two_marks()
    model = _Ink(weak=frozenset({1}))
    lines = recognize.read(model, page, crops)
    assert [ln.box.text for ln in lines] == ["a", "a"]  # the second, read alone, is its own first
    assert lines[1].box.confidence == pytest.approx(0.99)
    assert [s[0] for s in model.calls] == [1, 1]  # the strip, then the doubtful crop alone
    assert model.calls[1][3] >= recognize.ALONE


def test_nothing_readable_is_none():
    page, crops = _two_marks()
    assert recognize.read(_Ink(confidence=0.3), page, crops[:1]) == [None]
