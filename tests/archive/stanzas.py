"""Index stanzas for the archive tests' comparisons with apt-ftparchive:
{key: {field: value}}, continuation lines kept, so two files compare field
for field."""


def parse(text, key=("Package", "Architecture")):
    out = {}
    for stanza in text.strip().split("\n\n") if text.strip() else []:
        fields, last = {}, None
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t"):
                fields[last] += "\n" + line
            else:
                last, v = line.split(":", 1)
                fields[last] = v.strip()
        out[tuple(fields.get(k) for k in key)] = fields
    return out
