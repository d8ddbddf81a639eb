"""The pure core: money, codes, cards, ledger entries, people and errors. Imports nothing of the rest."""
