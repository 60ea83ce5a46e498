"""extractor: Microsoft Graph API reference pages to records, a unified spec and its renderings."""

__version__ = "0.1.0"
