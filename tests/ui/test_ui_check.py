"""Checking a claim in the web chat, driven in headless Chromium against a real server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ANSWER_TIMEOUT_MS = 240_000


def test_check_a_claim_shows_each_sentence_with_its_outcome_and_source(chat):
    page = chat.page
    page.locator("#nd-check-box").get_by_text("Check a claim").click()
    page.locator("#nd-claim textarea").fill(
        "The EU's trade deficit with China shrank to about 400 billion euros in 2022. "
        "Wang Wenbin did not confirm whether Rome had notified Beijing.")
    page.locator("#nd-check").click()
    claims = page.locator("#nd-check-result .nd-check-claim")
    claims.nth(1).wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert claims.nth(0).get_attribute("data-status") == "contradicted"
    assert claims.nth(1).get_attribute("data-status") == "supported"
    first = claims.nth(0).inner_text()
    assert "Contradicted" in first and "swelled to about 400 billion euros" in first
    assert "EU urges China to engage in Ukraine peace process" in first
    chat.assert_clean()
