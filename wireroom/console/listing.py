"""What the console's tables share: sorting and paging read from the query string, a page at a time."""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.http import HttpRequest

PER_PAGE = 50


def configured(table: tables.Table, request: HttpRequest) -> tables.Table:
    """Sorted as asked (unknown columns are ignored) and cut to one page of `PER_PAGE` rows: the size is not the
    visitor's to choose, so no request reads a whole table."""
    order = request.GET.getlist(table.prefixed_order_by_field)
    if order:
        table.order_by = order
    raw = request.GET.get(table.prefixed_page_field, "1")
    page = int(raw) if raw.isdigit() and 0 < len(raw) < 10 else 1
    try:
        table.paginate(page=max(page, 1), per_page=PER_PAGE)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=PER_PAGE)
    return table

