#!/usr/bin/env python3
"""Merges new keys into locales/*.json: the input maps each key to [en, de, sv, nl, zh-CN].

    scripts/add-translations.py new-keys.json

Existing keys are replaced; key order in each file stays alphabetical-insensitive (appended).
"""
import json
import sys
from pathlib import Path

LOCALES = ["en", "de", "sv", "nl", "zh-CN"]
root = Path(__file__).resolve().parent.parent / "locales"
new = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
for i, locale in enumerate(LOCALES):
    path = root / f"{locale}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, texts in new.items():
        if len(texts) != len(LOCALES):
            sys.exit(f"{key}: needs {len(LOCALES)} texts, has {len(texts)}")
        data[key] = texts[i]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"{len(new)} keys in {len(LOCALES)} locales")
