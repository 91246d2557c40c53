"""Newsdesk inside other frameworks. Each adapter is its own module, imported only by whoever
uses it (`from qa.integrations.llama_index import NewsdeskRetriever`), so `import qa` stays
free of their import time."""
