"""The Gradio web chat of Newsdesk: `ui.app.build_app` and `ui.app.launch` (`qa serve`).

It talks to the `qa` API only; `ui.render` turns answers into escaped HTML and `ui.uploads`
copies uploaded articles safely into the store.
"""
