"""Plain user text at the edges: which characters it may hold, and how it is set among other text.

Control characters have no place in a release: NUL cannot even be stored in PostgreSQL, and a line break in a
one-line field (a headline, a contact's e-mail address) would be read as a new line, or a new header, by
whatever shows it next. They are refused when the text comes in, naming the field, rather than quietly
dropped. Bidi formatting characters are legitimate (Arabic text uses them), so they are kept, and user text
is isolated wherever it shares one line with other text (an e-mail Subject, a page title).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from wireroom.lib.errors import InvalidInput

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none belongs in one line of text.
_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Text of several lines keeps tab, line feed and carriage return; every other control is refused.
_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
# Bidi classes that can reorder the text around them: right-to-left letters and digits, and explicit formatting.
_REORDERING = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """The first control character `text` may not hold, as `U+XXXX`, or None when it is clean."""
    found = (_MULTILINE if multiline else _ONE_LINE).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def refuse_control_characters(fields: Iterable[tuple[str, str, bool]]) -> None:
    """422 naming every field that holds a control character; `fields` gives (where, value, multiline).

    One-line fields are checked as they will be stored, without the white space around them.
    """
    found = [(where, code) for where, value, multiline in fields
             if (code := control_character(value if multiline else value.strip(), multiline=multiline))]
    if found:
        where, code = found[0]
        raise InvalidInput(f"The field {where} holds the control character {code}; remove it.",
                           details=[{"where": where, "problem": f"holds the control character {code}"}
                                    for where, code in found])


def isolate(text: str) -> str:
    """`text` wrapped in FSI…PDI when it could reorder the text beside it, as it is otherwise.

    Inside the isolate, an unclosed override or embedding in the user's text ends at the PDI, and a
    right-to-left headline cannot pull a "Correction:" prefix or the wire's name into its direction. Plain
    left-to-right text is left alone, so an English Subject stays a plain ASCII header.
    """
    if any(unicodedata.bidirectional(char) in _REORDERING for char in text):
        return f"{FSI}{text}{PDI}"
    return text
