"""Reading an exported CSV file as Swedish Excel does: UTF-8 after its byte
order mark, cells split at semicolons."""

import codecs
import csv
import io


def excel_rows(data: bytes, delimiter: str = ";") -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the BOM to read UTF-8"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def excel_dicts(data: bytes, delimiter: str = ";") -> list[dict[str, str]]:
    header, *rows = excel_rows(data, delimiter)
    return [dict(zip(header, row, strict=True)) for row in rows]


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)
