"""Every page that has a printable copy links to it, and the link downloads a PDF."""

from __future__ import annotations

import pytest

from .test_site import NOI_VU, PLAN_PAGE, article, goto

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path, name", [
    (PLAN_PAGE, "ke-hoach-quang-dien-2022-phan-cong.pdf"),
    (NOI_VU, "don-vi-phong-noi-vu.pdf"),
    ("chi-so-cchc/", "chi-so-cchc.pdf"),
    ("tien-do-tthc/", "tien-do-tthc.pdf"),
])
def test_page_links_its_pdf_and_the_link_downloads_it(page, default_site, path, name):
    goto(page, default_site.url + path)
    link = article(page).get_by_role("link", name="Tải bản PDF")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == name
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF-") and b"/Author" in data


def test_pages_without_a_printable_copy_have_no_pdf_link(page, default_site):
    goto(page, default_site.url + "lich/")
    assert article(page).get_by_role("link", name="Tải bản PDF").count() == 0
