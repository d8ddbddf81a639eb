"""The Voucherify-compatible API (``/v1``, VOUCHERIFY-API.md): one more entry point into the server's ledger.

One module per resource (``vouchers``, ``campaigns``, ``redemptions``…), each converting Voucherify's JSON into a
call of the same services the tills' sync API and head office's command line use, and the result back into the
shapes the official SDK reads (``shapes``). ``keys``: the API's credentials; ``deps``: who is calling;
``replay``: a request repeated under the same ``source_id``; ``api``: the router that gathers them.
"""
