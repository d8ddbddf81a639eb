"""The till's side of sync (httpx client, background worker) and the wire schemas shared with the server."""
