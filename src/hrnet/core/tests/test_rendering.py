"""The body sanitiser: Markdown and simple HTML in, safe HTML out."""

from __future__ import annotations

import pytest

from hrnet.core.rendering import body_html, body_text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and *em*", "<p><strong>bold</strong> and <em>em</em></p>"),
        ("## Heading", "<h2>Heading</h2>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        (
            "[UNAIDS](https://www.unaids.org)",
            '<p><a href="https://www.unaids.org" rel="noopener noreferrer nofollow">UNAIDS</a></p>',
        ),
        ("<p>Simple <b>HTML</b></p>", "<p>Simple <b>HTML</b></p>"),
    ],
)
def test_markdown_and_simple_html_render(source, expected):
    assert body_html(source) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="alert(1)">x</p>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
        "[x](javascript:alert(1))",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_dangerous_markup_is_removed(payload):
    html = body_html(f"Text {payload} more")

    for bad in ("<script", "onerror", "javascript:", "onclick", "<style", "<iframe", "<svg"):
        assert bad not in html
    assert "Text" in html


def test_plain_text_for_the_search():
    assert body_text("## Who\n\nPeople who use **drugs** &amp; peers.<script>x()</script>") == (
        "Who People who use drugs & peers."
    )
