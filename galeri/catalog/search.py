"""Product search in Indonesian. (Interim: substring search; replaced by FTS.)"""

import re

import snowballstemmer

WORD_RE = re.compile(r"\w+", re.UNICODE)


def stem_words(text: str) -> list[str]:
    stemmer = snowballstemmer.stemmer("indonesian")
    return stemmer.stemWords(WORD_RE.findall((text or "").lower()))


def build_title(product) -> str:
    return " ".join(stem_words(product.name))


def build_document(product) -> str:
    parts = [product.short_description, product.description, product.story, product.workshop_credit, product.sku]
    parts.append(product.category.name)
    parts.append(product.unit.short_name)
    return " ".join(stem_words(" ".join(p for p in parts if p)))


def search_ids(query: str, limit: int = 500) -> list[int]:
    from galeri.catalog.models import Product

    words = stem_words(query)
    qs = Product.objects.published()
    for word in words:
        qs = qs.filter(search_document__contains=word) | qs.filter(search_title__contains=word)
    return list(qs.values_list("id", flat=True)[:limit])
