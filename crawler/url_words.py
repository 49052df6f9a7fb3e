"""What the words of a page's address say about its kind, in the languages Sankofa crawls.

The page classifier reads a few generic path words ("category", "product", "pricing",
"forum"...). Its training pages (WCXB-dev) are English, but the sites Sankofa crawls write
their paths in their own language: a Senegalese blog's archive is "/categorie/fintech/", a
Brazilian shop's page "/produto/...", a Turkish one's "/urun/...", an Indonesian company's
"/tentang-kami/". Each family below is the English list the classifier was trained with plus
the same words in French, Portuguese, Spanish, Indonesian/Malay, Turkish, Swahili,
Vietnamese (unaccented, as its slugs are written), Hausa, Yoruba, Hindi (transliterated) and
Arabic: the feature keeps its meaning on a site in any of them. The translations were
written from the English list, before any page of those languages was scored with them.

Path segments are compared whole, percent-decoded, case-folded and without accents
(``path_segments``), so "/Cat%C3%A9gorie/" and "/categorie/" are the same word. Words that
read as another family's in some language are left out of both (Spanish "tema" is a forum
thread and a tag archive).

PURE: standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final
from urllib.parse import unquote, urlsplit

# Turkish dotless i and Vietnamese d with stroke do not decompose; the rest lose their accents.
_UNDECOMPOSED: Final = str.maketrans({"ı": "i", "đ": "d"})


def _plain(segment: str) -> str:
    folded = segment.casefold().translate(_UNDECOMPOSED)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _words(words: set[str]) -> frozenset[str]:
    """The words as ``path_segments`` gives them (Arabic hamzas and accents folded alike)."""
    return frozenset(map(_plain, words))


COMMERCE: Final = _words(
    # English (as trained)
    {"product", "products", "shop", "store", "cart", "buy", "p", "dp", "item", "items",
     "collections", "collection",
     # French, Portuguese, Spanish
     "produit", "produits", "boutique", "panier", "acheter",
     "produto", "produtos", "loja", "carrinho", "comprar", "colecao", "colecoes",
     "producto", "productos", "tienda", "carrito", "coleccion", "colecciones",
     # Indonesian/Malay, Turkish, Swahili, Vietnamese
     "produk", "toko", "kedai", "keranjang", "troli", "beli", "koleksi",
     "urun", "urunler", "magaza", "sepet", "koleksiyon",
     "bidhaa", "duka", "kikapu", "nunua",
     "san-pham", "cua-hang", "gio-hang",
     # Arabic
     "منتج", "منتجات", "متجر", "سلة"}
)  # fmt: skip

LISTING: Final = _words(
    {"category", "categories", "tag", "tags", "topics", "archive", "archives", "search",
     "page", "author", "section",
     "categorie", "rubrique", "rubriques", "etiquette", "etiquettes", "mot-cle",
     "mots-cles", "recherche", "auteur", "auteurs",
     "categoria", "categorias", "assunto", "assuntos", "arquivo", "arquivos", "busca",
     "pesquisa", "pagina", "autor", "autores", "secao", "editoria",
     "etiqueta", "etiquetas", "archivo", "archivos", "buscar", "busqueda", "seccion",
     "kategori", "label", "topik", "arsip", "cari", "pencarian", "halaman", "penulis",
     "rubrik",
     "etiket", "etiketler", "arsiv", "arama", "sayfa", "yazar", "yazarlar",
     "kategoria", "tafuta", "ukurasa", "mwandishi",
     "chuyen-muc", "danh-muc", "tim-kiem", "tac-gia", "luu-tru",
     "تصنيف", "قسم", "وسم", "أرشيف", "بحث", "كاتب"}
)  # fmt: skip

FORUM: Final = _words(
    {"forum", "forums", "thread", "threads", "t", "questions", "q", "community",
     "discussion", "discussions", "topic", "viewtopic",
     "sujet", "sujets", "communaute",
     "topico", "topicos", "comunidade", "perguntas", "discussao",
     "hilo", "hilos", "foro", "foros", "comunidad", "preguntas",
     "diskusi", "komunitas", "pertanyaan",
     "konu", "konular", "soru", "sorular", "topluluk", "tartisma",
     "jukwaa", "mjadala", "maswali",
     "dien-dan", "chu-de", "hoi-dap", "cong-dong",
     "منتدى", "منتديات", "موضوع"}
)  # fmt: skip

DOCS: Final = _words(
    {"docs", "doc", "documentation", "manual", "reference", "api", "guide", "guides", "wiki",
     "help", "kb", "support", "glossary",
     "aide", "manuel", "glossaire", "assistance",
     "documentacao", "ajuda", "guia", "guias", "glossario", "suporte",
     "documentacion", "ayuda", "glosario", "soporte",
     "dokumentasi", "bantuan", "panduan", "glosarium",
     "dokumantasyon", "yardim", "kilavuz", "sozluk", "destek",
     "msaada", "mwongozo",
     "tai-lieu", "huong-dan", "ho-tro", "tro-giup"}
)  # fmt: skip

SERVICE: Final = _words(
    {"services", "service", "pricing", "plans", "solutions", "about", "contact", "programs",
     "courses", "training", "features",
     "tarifs", "tarif", "offres", "a-propos", "qui-sommes-nous", "contactez-nous",
     "formations", "formation", "fonctionnalites", "nos-services",
     "servicos", "precos", "planos", "solucoes", "sobre", "sobre-nos", "quem-somos",
     "contato", "contacto", "fale-conosco", "cursos", "treinamento", "funcionalidades",
     "servicios", "precios", "planes", "soluciones", "nosotros", "sobre-nosotros",
     "quienes-somos", "acerca-de", "contactanos", "capacitacion", "caracteristicas",
     "layanan", "harga", "paket", "solusi", "tentang", "tentang-kami", "kontak",
     "hubungi-kami", "kursus", "pelatihan", "fitur",
     "hizmetler", "hizmetlerimiz", "fiyatlar", "fiyatlandirma", "paketler", "cozumler",
     "hakkimizda", "hakkinda", "iletisim", "kurslar", "egitim", "egitimler", "ozellikler",
     "huduma", "kuhusu", "kuhusu-sisi", "wasiliana", "wasiliana-nasi", "mafunzo", "kozi",
     "dich-vu", "bang-gia", "gioi-thieu", "lien-he", "khoa-hoc", "dao-tao", "tinh-nang",
     "giai-phap",
     "خدمات", "خدماتنا", "أسعار", "الأسعار", "من-نحن", "اتصل-بنا"}
)  # fmt: skip

ARTICLE: Final = _words(
    {"article", "articles", "story", "stories", "post", "posts", "news", "blog", "insights",
     "opinion", "pulse",
     "actualite", "actualites", "actu", "billet", "billets", "opinions", "tribune",
     "chronique", "nouvelles", "infos", "reportage", "edito",
     "noticia", "noticias", "artigo", "artigos", "opiniao", "coluna", "colunas",
     "reportagem", "materia", "materias",
     "articulo", "articulos", "columna", "columnas", "nota", "notas", "cronica", "reportaje",
     "berita", "artikel", "opini", "kolom", "kabar", "warta",
     "haber", "haberler", "makale", "makaleler", "yazi", "yazilar", "kose-yazisi", "gundem",
     "habari", "makala", "maoni", "blogu", "taarifa",
     "tin-tuc", "bai-viet", "tin", "thoi-su", "goc-nhin", "tin-moi",
     "labarai", "iroyin", "samachar", "khabar",
     "أخبار", "خبر", "مقالات", "مقال", "رأي"}
)  # fmt: skip

# The classifier's "url token" features, in its order.
FAMILIES: Final = {
    "commerce": COMMERCE,
    "listing": LISTING,
    "forum": FORUM,
    "docs": DOCS,
    "service": SERVICE,
    "article": ARTICLE,
}

# Where a link goes, by the first word of its path: a shop's product pages, a forum's members.
PRODUCT_PATH: Final = re.compile(
    r"/(?:products?|p|dp|item|items|shop|produits?|produtos?|productos?|produk|urun|san-pham)"
    r"/[^\s/]"
)
PROFILE_PATH: Final = re.compile(
    r"/(?:users?|u|members?|profiles?|people|memberlist|membres?|membros?|miembros?"
    r"|usuarios?|utilisateurs?|anggota|pengguna|uye|kullanici|thanh-vien)[/.?=]"
)
# A listing's later pages: WordPress's "/page/2" and the same in other CMSs and languages.
PAGE_NUMBER: Final = re.compile(
    r"/(?:page|pagina|halaman|sayfa|trang)[/-]\d+"
    r"|[?&](?:page|p|pg|paged|pagina|halaman|sayfa)=\d+"
)


# Archives by their address: a taxonomy term's page, an author's, a search's. Each word is
# one such an archive is filed under in some CMS or language ("/category/fintech/",
# "/etiqueta/fintech/page/2/", "/yazarlar/selin-ozturk", Blogger's "/search/label/Kilimo");
# the address is an archive only when at most one segment, the term, follows the word. Words
# that also begin article addresses are left out: WCXB-dev has articles under "/archive/",
# "/topic/" and "/topics/", and news sites file stories under their "section".
# The word a CMS files its author pages under ("/author/jane-doe", "/yazarlar/selin-aktas"),
# in the languages crawled; bylines link there too (crawler.extract.bylines).
AUTHOR: Final = (
    "author", "authors", "auteur", "auteurs", "autor", "autores", "penulis", "yazar",
    "yazarlar", "tac-gia", "mwandishi",
)  # fmt: skip
# Taxonomy archives: a category's page (followed by discovery for the posts it lists) and a
# tag's or label's (skipped: the same posts, filed again under every word).
CATEGORIES: Final = _words(
    {"category", "categories", "categorie", "rubrique", "categoria", "categorias", "kategori",
     "kategoria", "chuyen-muc", "danh-muc", "تصنيف"}
)  # fmt: skip
TAGS: Final = _words(
    {"tag", "tags", "label", "etiquette", "etiquettes", "mot-cle", "mots-cles", "etiqueta",
     "etiquetas", "etiket", "etiketler", "tu-khoa", "وسم"}
)  # fmt: skip
# Search pages, by a word that names nothing else.
SEARCHES: Final = _words({"search", "busca", "buscar", "pencarian", "tafuta", "tim-kiem"})
AUTHOR_PAGES: Final = _words({*AUTHOR, "كاتب"})
ARCHIVE: Final = CATEGORIES | TAGS | SEARCHES | AUTHOR_PAGES
# Search pages whose word also names research ("recherche", "pesquisa", "بحث") or more
# ("cari", "arama"): an archive only as the address's last segment ("/recherche?q=...").
SEARCH: Final = _words({"recherche", "pesquisa", "cari", "arama", "بحث"})
# The same archives with WordPress's plain addresses: "/?s=fintech", "/?cat=12", "/?tag=ai".
_ARCHIVE_QUERY: Final = re.compile(r"(?:^|&)(?:s|q|cat|tag|author)=")


def archive_address(url: str) -> bool:
    """Whether ``url`` is the address of a category, tag, author or search archive."""
    parts = urlsplit(url)
    segments = path_segments(PAGE_NUMBER.sub("", parts.path))
    if not segments:
        return bool(_ARCHIVE_QUERY.search(parts.query))
    return segments[-1] in SEARCH or any(word in ARCHIVE for word in segments[-2:])


def path_segments(path: str) -> list[str]:
    """The non-empty segments of an address's path, percent-decoded, case-folded and without
    accents (Arabic and other scripts keep their letters)."""
    return [_plain(unquote(s)) for s in path.split("/") if s]
