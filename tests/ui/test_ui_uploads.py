"""Uploads land inside the store's uploads folder under a sanitized name, within size limits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ui.uploads import UploadRejected, sanitize_filename, save_upload, uploads_folder

ARTICLE = b"---\ntitle: Test\n---\nA short article.\n"


@pytest.mark.parametrize("raw, expected", [
    ("../../x.md", "x.md"),
    ("..\\..\\x.md", "x.md"),
    ("/etc/cron.d/evil.md", "evil.md"),
    ("C:\\Windows\\evil.txt", "evil.txt"),
    ("a\x00b.md", "ab.md"),
    ("news\x00.md\x00.exe", "news.md.exe"),
    (".hidden.md", "hidden.md"),
    ("..", "upload"),
    ("", "upload"),
    ("Report 2024 (final).PDF", "Report_2024_final_.pdf".replace("_.pdf", ".pdf")),
    ("Zürich news.md", "Zürich_news.md"),
    ("a\nb\r\tc.md", "a_b_c.md"),
    ("..x..md", "x.md"),
])
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


def test_sanitized_names_are_plain_and_bounded():
    for raw in ["../" * 50 + "a" * 500 + ".md", "\x00" * 10, "/", "....", "<script>.html",
                "con.md", " .md", "-rf .md"]:
        name = sanitize_filename(raw)
        assert name and "/" not in name and "\\" not in name and "\x00" not in name
        assert not name.startswith((".", "-")) and name not in (".", "..")
        assert len(name) <= 110


@pytest.mark.parametrize("raw", ["../../escaped.md", "/tmp/absolute.md", "..\\..\\win.md",
                                 "nul\x00byte.md", "../../../../../../etc/passwd.md"])
def test_uploads_always_land_inside_the_folder(tmp_path, raw):
    source = tmp_path / "incoming"
    source.write_bytes(ARTICLE)
    folder = tmp_path / "store" / "uploads"
    saved = save_upload(source, raw, folder, max_bytes=1024)
    assert saved.parent == folder.resolve()
    assert saved.read_bytes() == ARTICLE
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and p != source
               and folder.resolve() not in p.resolve().parents]
    assert outside == []


def test_oversize_upload_is_rejected_and_leaves_nothing(tmp_path):
    source = tmp_path / "big.md"
    source.write_bytes(b"x" * 2049)
    folder = tmp_path / "uploads"
    with pytest.raises(UploadRejected, match="over the .* upload limit"):
        save_upload(source, "big.md", folder, max_bytes=2048)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_that_grows_while_copied_is_still_cut_off(tmp_path, monkeypatch):
    source = tmp_path / "sneaky.md"
    source.write_bytes(b"x" * 10)
    folder = tmp_path / "uploads"
    real_stat = Path.stat

    def small_stat(self, *args, **kwargs):  # the size check sees a small file...
        result = real_stat(self, *args, **kwargs)
        if self == source:
            return os.stat_result((result.st_mode, 0, 0, 1, 0, 0, 5, 0, 0, 0))
        return result

    monkeypatch.setattr(Path, "stat", small_stat)
    with pytest.raises(UploadRejected, match="upload limit"):  # ...the copy counts the bytes
        save_upload(source, "sneaky.md", folder, max_bytes=8)
    monkeypatch.undo()
    assert [p.name for p in folder.iterdir()] == []


@pytest.mark.parametrize("name, reason", [("tool.exe", "unsupported file type '.exe'"),
                                          ("noext", "unsupported file type '(none)'"),
                                          ("empty.md", "the file is empty")])
def test_wrong_or_empty_files_are_rejected_by_name(tmp_path, name, reason):
    source = tmp_path / "incoming"
    source.write_bytes(b"" if name == "empty.md" else ARTICLE)
    with pytest.raises(UploadRejected) as raised:
        save_upload(source, name, tmp_path / "uploads", max_bytes=1024)
    assert str(raised.value).startswith(f"{name}: {reason}")


def test_same_name_replaces_and_symlinks_are_not_followed(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (folder / "x.md").symlink_to(victim)
    source = tmp_path / "incoming"
    source.write_bytes(ARTICLE)
    saved = save_upload(source, "x.md", folder, max_bytes=1024)
    assert not saved.is_symlink() and saved.read_bytes() == ARTICLE
    assert victim.read_text() == "keep me"
    source.write_bytes(ARTICLE + b"More.\n")
    assert save_upload(source, "x.md", folder, max_bytes=1024).read_bytes().endswith(b"More.\n")
    assert sorted(p.name for p in folder.iterdir()) == ["x.md"]


def test_uploads_folder_is_inside_the_store(tmp_path):
    assert uploads_folder(tmp_path / "store") == (tmp_path / "store").resolve() / "uploads"


def test_a_name_taken_by_another_article_gets_a_number(tmp_path):
    source = tmp_path / "incoming"
    source.write_bytes(ARTICLE)
    folder = tmp_path / "uploads"
    taken = {"notes.md", "notes-2.md"}
    saved = save_upload(source, "../notes.md", folder, 1024, taken=taken.__contains__)
    assert saved == folder.resolve() / "notes-3.md"
    assert save_upload(source, "other.md", folder, 1024, taken=taken.__contains__).name == \
        "other.md"


def test_only_web_links_get_through_the_link_box():
    from ui.uploads import MAX_LINKS, split_links

    links, rejected = split_links(
        " https://news.example.org/a \n http://news.example.org/b\thttps://news.example.org/a\n"
        "/etc/passwd file:///etc/shadow ftp://example.org/x ../store/meta.sqlite \x00evil")
    assert links == ["https://news.example.org/a", "http://news.example.org/b"]
    assert [r.split(":")[0] for r in rejected] == [
        "/etc/passwd", "file", "ftp", "../store/meta.sqlite", "?evil"]
    assert all("not a web link" in r for r in rejected)
    many, refused = split_links(" ".join(f"https://e.org/{n}" for n in range(MAX_LINKS + 3)))
    assert len(many) == MAX_LINKS and len(refused) == 3
    assert "only 20 links are added at a time" in refused[0]
    assert split_links("   ") == ([], [])
