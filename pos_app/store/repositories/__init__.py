"""SQLite implementations of the service ports: Core statements on the unit of work's connection, values
converted by the column types (``models``)."""

from pos_app.store.repositories.campaigns import SqlCampaignRepository
from pos_app.store.repositories.card_changes import SqlCardChangeRepository
from pos_app.store.repositories.cards import SqlCardRepository
from pos_app.store.repositories.customers import SqlCustomerRepository
from pos_app.store.repositories.entries import SqlEntryRepository
from pos_app.store.repositories.people import SqlUserRepository
from pos_app.store.repositories.print_jobs import SqlPrintJobRepository
from pos_app.store.repositories.reports import SqlReportQueries
from pos_app.store.repositories.rules import SqlRuleRepository
from pos_app.store.repositories.settings import SqlSettingsRepository

__all__ = [
    "SqlCampaignRepository",
    "SqlCardChangeRepository",
    "SqlCardRepository",
    "SqlCustomerRepository",
    "SqlEntryRepository",
    "SqlPrintJobRepository",
    "SqlReportQueries",
    "SqlRuleRepository",
    "SqlSettingsRepository",
    "SqlUserRepository",
]
