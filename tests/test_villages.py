"""Importing the province's villages from CSV."""

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import Change, Village

GOOD_AND_BAD = """subdistrict_code,moo,name_th,name_en
650101,1,บ้านหนองแขม,Ban Nong Khaem
650101,2,บ้านวังน้ำคู้,
999999,1,บ้านไม่มีตำบล,
650101,abc,บ้านหมู่ผิด,
650101,1,บ้านซ้ำ,
650201,3,,
650201,4,บ้านนาบัว,Ban Na Bua
"""


def test_import_reports_bad_rows_by_line_and_keeps_the_good(tmp_path, runner):
    path = tmp_path / "villages.csv"
    path.write_text("\ufeff" + GOOD_AND_BAD, encoding="utf-8")
    result = runner.invoke(args=["import-villages", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 4 rejected" in result.output
    for line, words in [(4, "999999"), (5, "moo"), (6, "duplicate of line 2"), (7, "name_th")]:
        assert f"line {line}:" in result.output and words in result.output
    villages = db.session.scalars(select(Village).order_by(Village.name_th)).all()
    assert [v.name_th for v in villages] == ["บ้านนาบัว", "บ้านวังน้ำคู้", "บ้านหนองแขม"]
    nabua = villages[0]
    assert (nabua.district_code, nabua.moo, nabua.name_en) == ("6502", 4, "Ban Na Bua")
    # Each new village is in the change feed, so devices pull it.
    assert db.session.scalar(select(func.count()).select_from(Change)) >= 3


def test_reimport_renames_and_is_otherwise_idempotent(tmp_path, runner):
    path = tmp_path / "villages.csv"
    path.write_text("subdistrict_code,moo,name_th\n650101,1,บ้านหนองแขม\n", encoding="utf-8")
    runner.invoke(args=["import-villages", str(path)])
    assert "0 created, 0 updated" in runner.invoke(args=["import-villages", str(path)]).output
    path.write_text("subdistrict_code,moo,name_th\n650101,1,บ้านหนองแขมใหม่\n", encoding="utf-8")
    assert "0 created, 1 updated" in runner.invoke(args=["import-villages", str(path)]).output
    village = db.session.scalar(select(Village))
    assert (village.name_th, village.version) == ("บ้านหนองแขมใหม่", 2)


def test_missing_columns_are_reported(tmp_path, runner):
    path = tmp_path / "villages.csv"
    path.write_text("code,name\n650101,x\n", encoding="utf-8")
    result = runner.invoke(args=["import-villages", str(path)])
    assert "line 1: missing columns: subdistrict_code, moo, name_th" in result.output
    assert db.session.scalar(select(func.count()).select_from(Village)) == 0
