"""Read readouts from disk, whatever shape they come in, and say clearly why a file fails.

The shape is recognised from the content, not the folder name or (mostly) the suffix:

1. the seed's shape: a first line `` date YYYY-MM-DD `` (a few ``key value`` lines for
   date/title/source/publisher are accepted), blank lines, then the body;
2. Markdown or text with YAML front matter between ``---`` lines
   (``title``, ``date``, ``source``, ``publisher``);
3. plain text or Markdown with no header at all (date from a ``YYYY-MM-DD`` prefix of
   the file name, title from a leading ``# heading`` or the first sentence);
4. JSON Lines (``.jsonl``, or any file whose every line is a JSON object), one readout a
   line, and ``.json`` files holding one object or a list of them;
5. by suffix: saved web pages (``.html``, ``.htm``: the article's text and metadata) and
   PDFs (``.pdf``: the text layer, rejoined, without running headers and footers).

URLs are fetched by :mod:`.urls` and read as the file of their content type would be.

For text shapes the body is kept exactly as in the file apart from ``\\r\\n`` -> ``\\n``
and the removal of leading/trailing blank lines, so every offset computed downstream
points into text the user can find in the file (for pages and PDFs: into the clean text
readout-qa stores as the body).

Problems are reported as :class:`LoadError` (one file) or :class:`FileError` (in bulk),
with reasons a user can act on; nothing else escapes for a bad file.

Where things live:

- :mod:`.single_file`: :func:`load_file`, :func:`load_file_with_errors`, and which reader
  a file goes to;
- :mod:`.folders`: :func:`load_paths`, walking folders;
- :mod:`.reading`: a file's bytes to text (size limit, OS errors, binary files, UTF-8);
- :mod:`.text_formats`: shapes 1-3; :mod:`.json_formats`: shape 4;
  :mod:`.html_format` and :mod:`.pdf_format`: shape 5; :mod:`.urls`: fetching;
- :mod:`.readout`: the error types and building a ``Readout`` from fields, shared by the
  readers; :mod:`.titles`: titles from headings or the first sentence.
"""

from __future__ import annotations

from ..config import DEFAULT_MAX_FILE_MB
from ..dates import parse_date
from .folders import load_paths
from .readout import LoadError, tag_entities
from .single_file import SUPPORTED_SUFFIXES, load_file, load_file_with_errors

__all__ = [
    "DEFAULT_MAX_FILE_MB",
    "LoadError",
    "SUPPORTED_SUFFIXES",
    "load_file",
    "load_file_with_errors",
    "load_paths",
    "parse_date",
    "tag_entities",
]
