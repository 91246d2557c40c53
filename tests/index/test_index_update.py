"""Updating a store: adds, unchanged re-runs, replacements, deletes, filters, the model guard.

Every test builds its own small store in tmp_path with the real embedder, FAISS and SQLite.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from pathlib import Path

import pytest
from index_helpers import TOPICS, assert_consistent, chunk_table, markdown, topic_body, write_topic

from index import ModelMismatchError, open_store, update_store

ALL_IDS = sorted(f"{topic}.md" for topic in TOPICS)


def build(store: Path, paths, embedder, **options):
    return update_store(store, [paths] if isinstance(paths, Path) else paths,
                        embedder=embedder, **options)


def article_of(store: Path, chunk_ids) -> set[str]:
    with open_store(store) as opened:
        return {c.article_id for c in opened.chunks([i for i, _ in chunk_ids])}


def test_first_update_adds_everything(corpus_dir, store_dir, embedder):
    summary = build(store_dir, corpus_dir, embedder)
    assert sorted(summary.added) == ALL_IDS
    assert summary.failed == [] and summary.replaced == [] and summary.deleted == []
    assert summary.version == 1
    assert summary.chunks_added == summary.chunks_embedded > len(TOPICS)
    with open_store(store_dir) as store:
        stats = store.stats()
        assert (stats.articles, stats.chunks) == (len(TOPICS), summary.chunks_added)
        assert stats.embed_model == "all-MiniLM-L6-v2+onnx-int8" and stats.dim == 384
        assert len(store.chunk_ids_of("observatory.md")) >= 3
        record = store.article("orchard.md")
        assert record.title == TOPICS["orchard"][0] and record.date == "2024-02-14"
        assert store.last_summary()["added"] == len(TOPICS)
        # Both halves find an article by one of its sentences.
        sentence = topic_body("orchard").split(". ")[1]
        (top, _), *_ = store.search_lexical(sentence, 5)
        assert store.chunks([top])[0].article_id == "orchard.md"
        (top, _), *_ = store.search_dense(embedder.encode_query(sentence), 5)
        assert store.chunks([top])[0].article_id == "orchard.md"
    assert_consistent(store_dir)


def test_rerun_on_an_unchanged_folder_embeds_nothing(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    before = (embedder.calls, embedder.texts_embedded)
    folders = sorted(p.name for p in store_dir.iterdir())
    summary = build(store_dir, corpus_dir, embedder)
    assert (embedder.calls, embedder.texts_embedded) == before
    assert summary.version is None and not summary.changed
    assert summary.unchanged == len(TOPICS)
    assert summary.chunks_embedded == summary.chunks_added == 0
    assert sorted(p.name for p in store_dir.iterdir()) == folders  # no new version written
    with open_store(store_dir) as store:
        assert store.version == 1


def test_changing_one_article_replaces_exactly_its_chunks(corpus_dir, store_dir, embedder):
    removed = "A beekeeper named Ottoline counted seventeen hives beside the greenhouse."
    body = topic_body("orchard")
    orchard = corpus_dir / "orchard.md"
    title, date, source, _ = TOPICS["orchard"]
    orchard.write_text(markdown(title, f"{body}\n\n{removed}", date, source), encoding="utf-8")
    build(store_dir, corpus_dir, embedder)
    before = chunk_table(store_dir)
    highest = max(i for ids in before.values() for i in ids)
    with open_store(store_dir) as store:
        assert article_of(store_dir, store.search_lexical(removed, 5)) == {"orchard.md"}

    orchard.write_text(markdown(title, body, date, source), encoding="utf-8")
    texts_before = embedder.texts_embedded
    summary = build(store_dir, corpus_dir, embedder)

    assert summary.replaced == ["orchard.md"] and not (summary.added or summary.deleted)
    assert summary.version == 2
    assert summary.chunks_removed == len(before["orchard.md"])
    assert embedder.texts_embedded - texts_before == summary.chunks_embedded >= 1
    after = chunk_table(store_dir)
    assert {k: v for k, v in after.items() if k != "orchard.md"} == \
        {k: v for k, v in before.items() if k != "orchard.md"}
    assert after["orchard.md"] and min(after["orchard.md"]) > highest  # ids never reused
    with open_store(store_dir) as store:
        assert "orchard.md" not in article_of(store_dir, store.search_lexical(removed, 20))
        assert removed not in store.article("orchard.md").text
        assert not set(before["orchard.md"]) & set(store.vectors.ids().tolist())
    assert_consistent(store_dir)


def test_editing_the_end_of_a_long_article_reuses_the_vectors_of_unchanged_chunks(
        corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    old_ids = chunk_table(store_dir)["observatory.md"]
    path = corpus_dir / "observatory.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more closing sentence.\n",
                    encoding="utf-8")
    texts_before = embedder.texts_embedded
    summary = build(store_dir, corpus_dir, embedder)
    assert summary.replaced == ["observatory.md"]
    assert summary.chunks_reused >= len(old_ids) - 2
    assert summary.chunks_embedded + summary.chunks_reused == summary.chunks_added
    assert embedder.texts_embedded - texts_before == summary.chunks_embedded <= 2
    assert_consistent(store_dir)


def test_deleting_a_file_removes_its_article_and_chunks(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    bakery_ids = chunk_table(store_dir)["bakery.md"]
    (corpus_dir / "bakery.md").unlink()
    summary = build(store_dir, corpus_dir, embedder)
    assert summary.deleted == ["bakery.md"] and summary.chunks_removed == len(bakery_ids)
    with open_store(store_dir) as store:
        assert "bakery.md" not in store.article_ids()
        assert store.article("bakery.md") is None
        assert not set(bakery_ids) & set(store.all_chunk_ids().tolist())
        assert not set(bakery_ids) & set(store.vectors.ids().tolist())
        assert store.search_lexical("sourdough loaves flour ovens bakers", 10) == []
    assert_consistent(store_dir)


def test_no_prune_keeps_articles_of_deleted_files(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    (corpus_dir / "library.md").unlink()
    summary = build(store_dir, corpus_dir, embedder, prune=False)
    assert summary.deleted == [] and summary.version is None
    with open_store(store_dir) as store:
        assert "library.md" in store.article_ids()


def test_updating_single_files_does_not_prune_the_rest(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    extra = corpus_dir.parent / "extra"
    extra.mkdir()
    (extra / "note.md").write_text(markdown("Extra note", "An extra article about kites."),
                                   encoding="utf-8")
    summary = build(store_dir, [extra / "note.md"], embedder)
    assert summary.added == ["note.md"] and summary.deleted == []
    with open_store(store_dir) as store:
        assert sorted(store.article_ids()) == sorted(ALL_IDS + ["note.md"])


def test_a_file_that_breaks_keeps_its_old_articles(tmp_path, store_dir, embedder):
    folder = tmp_path / "feed"
    folder.mkdir()
    feed = folder / "feed.jsonl"
    records = [{"id": f"f{i}", "title": f"Feed item {i}", "body": f"Feed body number {i}."}
               for i in range(3)]
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    build(store_dir, folder, embedder)
    # One line breaks: its article is kept, the file is reported, nothing is deleted.
    feed.write_text("\n".join([json.dumps(records[0]), "{broken", json.dumps(records[2])]),
                    encoding="utf-8")
    summary = build(store_dir, folder, embedder)
    assert summary.deleted == [] and [f.record for f in summary.failed] == [2]
    # The whole file becomes unreadable: all its articles are kept.
    feed.write_bytes(b"\xff\xfe not utf-8")
    summary = build(store_dir, folder, embedder)
    assert summary.deleted == [] and "UTF-8" in summary.failed[0].reason
    with open_store(store_dir) as store:
        assert sorted(store.article_ids()) == ["f0", "f1", "f2"]


def test_duplicate_ids_are_reported_not_merged(tmp_path, store_dir, embedder):
    folder = tmp_path / "dup"
    folder.mkdir()
    for name, body in (("a.json", "First text."), ("b.json", "Second text.")):
        (folder / name).write_text(json.dumps({"id": "same", "title": "T", "body": body}),
                                   encoding="utf-8")
    summary = build(store_dir, folder, embedder)
    assert summary.added == ["same"]
    assert len(summary.failed) == 1 and "duplicate article id 'same'" in summary.failed[0].reason
    with open_store(store_dir) as store:
        assert store.article("same").text == "First text."


def test_moving_a_record_to_another_file_re_embeds_nothing(tmp_path, store_dir, embedder):
    folder = tmp_path / "moving"
    folder.mkdir()
    record = {"id": "kept-id", "title": "Moving record", "body": "A record that moves files."}
    (folder / "old.json").write_text(json.dumps(record), encoding="utf-8")
    build(store_dir, folder, embedder)
    ids = chunk_table(store_dir)
    (folder / "old.json").rename(folder / "new.json")
    calls = embedder.calls
    summary = build(store_dir, folder, embedder)
    assert summary.moved == ["kept-id"] and summary.deleted == [] and embedder.calls == calls
    assert chunk_table(store_dir) == ids
    with open_store(store_dir) as store:
        assert store.article("kept-id").path == str((folder / "new.json").resolve())


def test_progress_is_reported(corpus_dir, store_dir, embedder):
    seen: list[tuple[str, int, int]] = []
    build(store_dir, corpus_dir, embedder, progress=lambda *event: seen.append(event))
    stages = [stage for stage, _, _ in seen]
    assert stages[0] == "read" and stages[-1] == "write"
    assert {"read", "chunk", "embed", "write"} <= set(stages)
    embeds = [(done, total) for stage, done, total in seen if stage == "embed"]
    assert embeds[0][0] == 0 and embeds[-1][0] == embeds[-1][1] > 0


# --- Any sequence of changes --------------------------------------------------------------

@pytest.mark.parametrize("seed", [7, 2024])
def test_any_sequence_of_changes_keeps_the_store_consistent(tmp_path, store_dir, embedder,
                                                            seed):
    """Random adds, edits, deletes, copies and moves; after each update the three parts
    agree, every vector finds its own chunk, and new chunk ids are always new."""
    rng = random.Random(seed)
    folder = tmp_path / "corpus"
    folder.mkdir()
    topics = list(TOPICS)
    seen_ids: set[int] = set()
    highest = 0
    actions = ["add", "edit", "delete", "copy", "rename", "add", "edit", "delete", "add"]
    rng.shuffle(actions)
    for step, action in enumerate(["add", "add"] + actions):
        present = sorted(p for p in folder.iterdir() if p.suffix == ".md")
        if action == "add":
            topic = rng.choice(topics)
            path = folder / f"{topic}-{step}.md"
            title, date, source, _ = TOPICS[topic]
            path.write_text(markdown(title, topic_body(topic, rng.randint(2, 40), step),
                                     date, source), encoding="utf-8")
        elif action == "edit":
            path = rng.choice(present)
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("Report 1 ", f"Bulletin {step} ", 1)
                            + f"\nAddendum {step}.\n", encoding="utf-8")
        elif action == "delete":
            rng.choice(present).unlink()
        elif action == "copy":  # identical text under another id: vectors tie exactly
            source_path = rng.choice(present)
            shutil.copyfile(source_path, folder / f"copy-{step}-{source_path.name}")
        else:
            old = rng.choice(present)
            old.rename(folder / f"renamed-{step}-{old.name}")
        embedded = embedder.texts_embedded
        summary = update_store(store_dir, [folder], embedder=embedder)
        assert summary.failed == [] and summary.version is not None
        if action in ("copy", "rename"):  # known texts reuse their stored vectors
            assert embedder.texts_embedded == embedded and summary.chunks_reused > 0

        with open_store(store_dir) as store:
            assert sorted(store.article_ids()) == sorted(p.name for p in folder.glob("*.md"))
            ids = set(store.all_chunk_ids().tolist())
        new = ids - seen_ids
        assert all(i > highest for i in new), f"step {step} ({action}) reused a chunk id"
        seen_ids |= ids
        highest = max(seen_ids | {highest})
        assert_consistent(store_dir)


# --- Filtered search ----------------------------------------------------------------------

FILTERS = [
    ({"since": "2024-03-01", "until": "2024-05-01"}, {"observatory.md", "library.md"}),
    ({"since": "2024-05-30"}, {"velodrome.md", "bakery.md"}),
    ({"until": "2024-01-10"}, {"harbour.md"}),
    ({"sources": ["port gazette"]}, {"harbour.md", "bakery.md"}),
    ({"sources": ["Farm Weekly", "Sky Journal"]}, {"orchard.md", "observatory.md"}),
    ({"article_ids": ["velodrome.md"]}, {"velodrome.md"}),
    ({"since": "2024-02-01", "sources": ["Port Gazette"]}, {"bakery.md"}),
    ({"since": "2030-01-01"}, set()),
]


@pytest.fixture(scope="module")
def built_store(tmp_path_factory, embedder) -> Path:
    """The six topic articles, built once for the read-only filter tests."""
    folder = tmp_path_factory.mktemp("filters")
    for topic in TOPICS:
        write_topic(folder, topic, sentences=60 if topic == "observatory" else 6)
    build(folder / "store", folder, embedder)
    return folder / "store"


@pytest.mark.parametrize("filters, expected", FILTERS)
def test_filtered_search_returns_only_allowed_chunks(built_store, embedder, filters, expected):
    # A query that touches every topic, so an unfiltered search returns all articles.
    query = " ".join(words[0] + " " + words[1] for *_, words in TOPICS.values())
    vector = embedder.encode_query(query)
    with open_store(built_store) as store:
        allowed = store.chunk_ids_matching(**filters)
        wanted = {i for a in expected for i in store.chunk_ids_of(a)}
        assert set(allowed.tolist()) == wanted
        everything = {a for a in store.article_ids()}
        dense = store.search_dense(vector, 100, allowed)
        lexical = store.search_lexical(query, 100, allowed)
        assert {i for i, _ in dense} <= wanted and {i for i, _ in lexical} <= wanted
        assert {c.article_id for c in store.chunks(i for i, _ in dense)} == expected
        assert {c.article_id for c in store.chunks(i for i, _ in lexical)} == expected
        # Unfiltered, the same searches reach the other articles too.
        assert {c.article_id for c in store.chunks(
            i for i, _ in store.search_dense(vector, 100))} == everything
        assert {c.article_id for c in store.chunks(
            i for i, _ in store.search_lexical(query, 100))} == everything
        # A filter keeps the best allowed hits, not what is left of an unfiltered top-k.
        top = store.search_dense(vector, 2, allowed)
        assert len(top) == min(2, len(wanted))


def test_no_filter_means_no_restriction(built_store):
    with open_store(built_store) as store:
        assert store.chunk_ids_matching() is None


# --- The embedding model guard ------------------------------------------------------------

def test_another_embedding_model_needs_a_rebuild(corpus_dir, store_dir, embedder):
    build(store_dir, corpus_dir, embedder)
    before = chunk_table(store_dir)
    highest = max(i for ids in before.values() for i in ids)
    other = copy.copy(embedder)  # shares the loaded model; only the recorded name differs
    other.name = "other-model"
    (corpus_dir / "orchard.md").unlink()
    with pytest.raises(ModelMismatchError) as raised:
        build(store_dir, corpus_dir, other)
    message = str(raised.value)
    assert "all-MiniLM-L6-v2" in message and "other-model" in message
    assert "--rebuild" in message
    assert chunk_table(store_dir) == before  # nothing written

    summary = build(store_dir, corpus_dir, other, rebuild=True)
    assert sorted(summary.added) == sorted(set(ALL_IDS) - {"orchard.md"})
    with open_store(store_dir) as store:
        assert store.embed_model == "other-model"
        assert store.version == 2
        assert min(store.all_chunk_ids()) > highest  # ids are not reused across a rebuild
    assert_consistent(store_dir)
    # And now the original model is the stranger.
    with pytest.raises(ModelMismatchError):
        build(store_dir, corpus_dir, embedder)


def test_seed_store_finds_the_seed_answer(seed_store, embedder):
    question = "What did Li Qiang ask of Brussels?"
    answer = "Beijing hopes Brussels will be prudent when introducing restrictive economic"
    with open_store(seed_store) as store:
        assert store.article_ids() == ["eu-china-summit-2023-12-07.md"]
        for hits in (store.search_dense(embedder.encode_query(question), 3),
                     store.search_lexical(question, 3)):
            assert any(answer in c.text for c in store.chunks(i for i, _ in hits))
    assert_consistent(seed_store)
