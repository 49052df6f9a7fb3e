"""Every per-language phrase list Sankofa matches text against, in one place.

Adding a language means adding its phrases here. Phrases are compared after
``crawler.extract.boilerplate.fold`` (case, accents and edge punctuation ignored) unless a list
says otherwise. Each list is a structural fallback: markup (classes, schema.org, forms) is
tried first, and a phrase only decides where the markup says nothing. PURE: data only.
"""

from __future__ import annotations

from typing import Final

# --- comment forms, newsletters, cookie bars, sharing (crawler.extract.boilerplate) ----------

# A short paragraph that *starts with* one of these is UI text, whatever follows.
NOTICE_PREFIXES: Final = (
    # comment-form titles and notices, in the languages the sources publish in
    "Leave a Reply", "Leave a comment", "Your email address will not be published",
    "Required fields are marked", "Post a Comment", "Comments are closed",
    "Please enable JavaScript to view the comments", "comments powered by Disqus",
    "Laisser un commentaire", "Laisser une réponse", "Les commentaires sont fermés",
    "Votre adresse de messagerie ne sera pas publiée", "Votre adresse e-mail ne sera pas publiée",
    "Votre adresse email ne sera pas publiée", "Les champs obligatoires sont indiqués",
    "Deixe um comentário", "Deixe uma resposta", "Postar um comentário",
    "O seu endereço de email não será publicado", "O seu endereço de e-mail não será publicado",
    "Seu endereço de e-mail não será publicado", "Deja una respuesta", "Deja un comentario",
    "Tu dirección de correo electrónico no será publicada",
    "Los campos obligatorios están marcados", "Acha jibu", "Acha maoni",
    "Barua pepe yako haitachapishwa", "اترك تعليقاً", "اترك تعليقا", "اترك رداً", "اترك رد",
    "لن يتم نشر عنوان بريدك الإلكتروني", "الحقول الإلزامية مشار إليها", "Tinggalkan Balasan",
    "Tinggalkan komentar", "Alamat email Anda tidak akan dipublikasikan",
    "Ruas yang wajib ditandai", "Để lại một bình luận", "Để lại bình luận",
    "Email của bạn sẽ không được hiển thị", "Bir yanıt yazın", "Bir cevap yazın",
    "E-posta adresiniz yayınlanmayacak", "एक उत्तर छोड़ें", "एक टिप्पणी छोड़ें",
    "आपका ईमेल पता प्रकाशित नहीं", "Оставьте комментарий", "Добавить комментарий",
    "Ваш адрес email не будет опубликован", "Ваш e-mail не будет опубликован",
    "Schreibe einen Kommentar", "Hinterlasse einen Kommentar",
    "Deine E-Mail-Adresse wird nicht veröffentlicht", "Lascia un commento",
    "Il tuo indirizzo email non sarà pubblicato", "Laat een reactie achter", "Geef een reactie",
    "Je e-mailadres wordt niet gepubliceerd", "አስተያየት ይስጡ", "አስተያየት ይተዉ",
    "የኢሜይል አድራሻዎ አይታተምም", "Bar da amsa", "Bar da sharhi",
    "Ba za a buga adireshin imel", "Fi èsì kan sílẹ̀", "Fi èrò rẹ sílẹ̀",
    "A kò ní ṣe àtẹ̀jáde àdírẹ́sì ímeèlì", "Shiya impendulo",
    "Ikheli lakho le-imeyili ngeke lishicilelwe", "Lewer kommentaar", "Zostaw odpowiedź",
    "ارسال دیدگاه", "دیدگاهتان را بنویسید", "মন্তব্য করুন",
    # newsletter sign-ups
    "Subscribe to", "Sign up for", "Sign up to", "Get the latest updates", "Get new posts",
    "Follow by Email", "Join our mailing list", "Get the latest news in your inbox",
    "Abonnez-vous", "Inscrivez-vous à notre newsletter", "Recevez notre newsletter", "Assine",
    "Inscreva-se", "Suscríbete", "Jiandikishe kupokea", "Berlangganan newsletter",
    "Đăng ký nhận bản tin", "Bültenimize abone olun", "हमारे न्यूज़लेटर", "اشترك في النشرة",
    "Подпишитесь на", "Newsletter abonnieren", "Iscriviti alla newsletter",
    "Schrijf je in voor onze nieuwsbrief",
    # sharing, tips and legal lines under the body
    "Like this story", "Like this article", "Share it with a friend", "Tell us what you think",
    "Have a tip", "Got a tip", "This copy is for your personal, non-commercial use",
    "All rights reserved", "Tous droits réservés", "Todos os direitos reservados",
    "Todos los derechos reservados", "Haki zote zimehifadhiwa", "جميع الحقوق محفوظة",
    # cookie banners
    "We use cookies", "This website uses cookies", "This site uses cookies",
    "By continuing to use", "Ce site utilise des cookies", "Nous utilisons des cookies",
    "En poursuivant votre navigation", "Este site utiliza cookies",
    "Este sitio web utiliza cookies",
    "Utilizamos cookies", "Usamos cookies", "Situs ini menggunakan cookie",
    "Trang web này sử dụng cookie", "Bu web sitesi çerez", "Этот сайт использует cookie",
    "Diese Website verwendet Cookies", "Questo sito utilizza i cookie",
    "Deze website maakt gebruik van cookies", "يستخدم هذا الموقع ملفات تعريف الارتباط",
    "Tovuti hii inatumia vidakuzi",
)  # fmt: skip

# A paragraph that *is* one of these (once folded) is a UI label: share prompts, "Like this:",
# related/popular-post headings. Exact match, because "Delen" or "Baca juga" can open real prose.
UI_LABELS: Final = (
    # share prompts
    "share this:", "share this article", "share this post", "share on facebook", "partager :",
    "partager cet article", "partagez cet article", "compartilhe:", "compartilhe isso:",
    "compartir:", "comparte esto:", "shiriki:", "bagikan:", "bagikan ini:", "chia sẻ:",
    "paylaş:", "bunu paylaş:", "शेयर करें", "شارك:", "شارك هذا:", "поделиться:", "teilen mit:",
    "condividi:", "delen:", "አጋራ:", "raba wannan:", "pin it", "like this:", "j'aime ceci :",
    "j'aime ca :", "curtir isso:", "me gusta esto:", "suka ini:", "like loading", "chargement",
    "carregando", "cargando", "memuat", "loading...", "comments", "commentaires",
    "comentarios", "reply", "repondre", "responder", "responda", "jibu", "balas", "trả lời",
    "yorum yap", "yorum yaz", "jibu maoni",
    # related / popular / read-next lists
    "related posts", "related articles", "related stories", "you may also like",
    "you might also like", "popular posts", "read next", "read more:", "more from",
    "articles similaires", "articles connexes", "a lire aussi", "sur le meme sujet",
    "vous aimerez aussi", "posts relacionados", "artigos relacionados", "leia tambem",
    "voce tambem pode gostar", "entradas relacionadas", "articulos relacionados",
    "tambien te puede interesar", "habari zinazohusiana", "makala zinazohusiana",
    "مقالات ذات صلة", "اقرأ أيضا", "artikel terkait", "baca juga", "bài viết liên quan",
    "ilgili yazılar", "benzer yazılar", "संबंधित पोस्ट", "संबंधित लेख", "похожие записи",
    "читайте также", "ahnliche beitrage", "articoli correlati", "gerelateerde berichten",
    "ተዛማጅ ጽሁፎች", "labarai masu alaka", "àwọn ìròyìn tó jọ mọ́",
)  # fmt: skip

# "3 thoughts on “…”", "12 commentaires", "٣ تعليقات": the heading of a comment thread.
COMMENT_COUNT_WORDS: Final = (
    "comment", "comments", "response", "responses", "replies", "thought on", "thoughts on",
    "commentaire", "commentaires", "réponse à", "réponses à", "comentário", "comentários",
    "comentario", "comentarios", "resposta", "respostas", "respuesta", "respuestas", "maoni",
    "تعليق", "تعليقات", "komentar", "bình luận", "yorum", "टिप्पणी", "टिप्पणियाँ", "комментарий",
    "комментария", "комментариев", "kommentar", "kommentare", "commento", "commenti", "reacties",
    "sharhi", "ìdáhùn", "አስተያየቶች",
)  # fmt: skip

# "Baca juga: <link to another story>" inside the body, as Indonesian, Arabic... newsrooms do.
READ_ALSO_PREFIXES: Final = (
    "Baca juga", "Read also", "Also read", "See also", "Read more", "Lire aussi",
    "À lire aussi", "Leia também", "Leia mais", "Lee también", "Lea también", "Soma pia",
    "Soma zaidi", "Xem thêm", "Ayrıca okuyun", "Ayrıca bakınız", "यह भी पढ़ें", "اقرأ أيضا",
    "اقرأ أيضاً", "Читайте также", "Lesen Sie auch", "Leggi anche", "Karanta kuma",
    "ये भी पढ़ें", "इसे भी पढ़ें", "আরও পড়ুন", "আরো পড়ুন", "یہ بھی پڑھیں", "بیشتر بخوانید",
    "อ่านเพิ่มเติม", "Mirá también", "Ver también", "Veja também", "ተጨማሪ ያንብቡ", "延伸阅读",
    "相关阅读", "இதையும் படிக்க", "مزید پڑھیں", "مزید پڑھیے", "और पढ़ें", "اقرأ المزيد",
    "អានបន្ថែម", "Akhriso sidoo kale", "Sidoo kale akhriso",
)  # fmt: skip

# --- author boxes and bylines (crawler.extract.bio, crawler.extract.bylines) -----------------

# Lines of an author box that are links, counters or follow buttons, not biography.
BIO_NOISE_PREFIXES: Final = (
    "View all posts", "View all articles", "See all posts", "More posts by", "More articles",
    "More stories", "Most recent", "Latest posts", "Recent posts", "Get author", "Follow",
    "Share it with", "Visit profile", "Author's website", "Contact the author",
    "Voir tous les articles", "Ver todas as publicações", "Ver todos los artículos",
    "Ver todas las entradas", "Tazama makala zote", "Lihat semua tulisan",
    "Xem tất cả bài viết", "Tüm yazıları", "Alle Beiträge von", "Visualizza tutti gli articoli",
    "Bekijk alle berichten", "عرض كل المقالات", "Все записи автора", "सभी पोस्ट देखें",
)  # fmt: skip

# "About the author" in the languages the sources publish in.
BIO_HEADINGS: Final = (
    "About the author", "About the writer", "About author", "Author bio", "About me",
    "About the contributor", "À propos de l'auteur", "À propos de l'auteure",
    "Biographie de l'auteur", "Sobre o autor", "Sobre a autora", "Sobre el autor",
    "Sobre la autora", "Acerca del autor", "Kuhusu mwandishi", "Kuhusu mwandishi wa makala",
    "عن الكاتب", "عن الكاتبة", "عن المؤلف", "نبذة عن الكاتب", "حول الكاتب", "Tentang penulis",
    "Tentang pengarang", "Về tác giả", "Giới thiệu tác giả", "लेखक के बारे में", "लेखक परिचय",
    "Yazar hakkında", "Об авторе", "Über den Autor", "Über die Autorin", "Zum Autor",
    "Informazioni sull'autore", "Sull'autore", "Over de auteur", "Over de schrijver",
    "ስለ ጸሐፊው", "ስለ ደራሲው", "Game da marubuci", "Game da marubuciya", "Nípa òǹkọ̀wé",
    "Nípa onkọwe", "Mayelana nombhali", "O autorze", "Despre autor", "Про автора",
    "درباره نویسنده", "লেখক সম্পর্কে", "مصنف کے بارے میں", "เกี่ยวกับผู้เขียน",
    "Tungkol sa may-akda", "关于作者", "作者简介", "著者について", "저자 소개", "필자 소개",
)  # fmt: skip

# "About <name>" / "À propos de <name>": a heading that carries the author's own name.
ABOUT_NAME_PREFIXES: Final = (
    "About", "À propos de", "À propos d'", "Sobre", "Acerca de", "Kuhusu", "عن", "Tentang",
    "Về", "Über", "Informazioni su", "Over", "Об", "О", "Game da", "Nípa", "ስለ", "O",
)  # fmt: skip

# "<name> hakkında": the same, where the language puts "about" after the name.
ABOUT_NAME_SUFFIXES: Final = ("hakkında", "के बारे में", "について")

# "By Jane Doe", "Par Awa Koné", "Oleh Budi", "بقلم سارة": the word before a byline's names
# (not folded).
BYLINE_WORDS: Final = ("by", "par", "por", "oleh", "bởi", "von", "door", "от", "بقلم")
# Words that open a byline only before a colon, being ordinary words otherwise: Arabic
# "wrote" ("كتب: محمد علي", "كتبت: منى عبد الحميد"). In a name read from an author's
# element, where the colon is often gone, they are stripped without it.
BYLINE_LABELS: Final = ("كتب", "كتبت")
# "Author" or "writer" in the languages the sources publish in: a byline only before a colon
# ("Author: Jane Doe", "Yazar: Ahmet Yılmaz", "लेखक: राहुल"), anywhere; without one they
# may be part of a name or a sentence ("Mwandishi Wetu", "Author Unknown").
AUTHOR_LABELS: Final = (
    "الكاتب", "author", "writer", "auteur", "auteure", "autor", "autora", "autore", "yazar",
    "penulis", "mwandishi", "tác giả", "लेखक", "ደራሲ", "marubuci",
)  # fmt: skip
# Participles that may stand before a byline word: "Escrito por", "Publié par", "Ditulis oleh".
BYLINE_VERBS: Final = (
    "posted", "written", "story", "text", "report", "words", "escrito", "escrita", "publicado",
    "publicada", "publié", "publiée", "écrit", "écrite", "rédigé", "rédigée", "ditulis",
    "diposting", "viết", "geschrieben",
)  # fmt: skip
# Words that follow the names, where the language puts "by" after them: Turkish
# "Ahmet Yılmaz tarafından", Hindi "राहुल शर्मा द्वारा".
BYLINE_POSTPOSITIONS: Final = ("tarafından", "द्वारा")
# "And" between two co-authors' names ("Par Awa Koné et Samir Abdelkrim", "Oleh Budi Santoso
# dan Sari Dewi", "مریم احمدی و علی رضایی"), lower case as a sentence writes it. Some also
# join the parts of one name ("Ortega y Gasset", "Ribeiro e Castro"): a byline is split at
# them only where every part is a name of two words or more. English "and" always splits.
# Not "&": it joins roles ("Master Horticulturalist & Garden Educator") more than people.
NAME_CONJUNCTIONS: Final = (
    "et", "y", "e", "dan", "na", "ve", "và", "und", "en", "و", "और", "এবং", "ও", "และ",
)  # fmt: skip
# Swahili "Na" ("Na Juma Hamisi") is "and" or "with" in running text: it opens a byline only
# capitalised, at the start of a short line, before a capitalised name.
BYLINE_WORDS_CAPITALISED: Final = ("Na",)

# --- discovery (crawler.discover.links) --------------------------------------------------------

# Link text of "older posts" / "next page" links, matched anywhere in the text, any case.
PAGINATION_WORDS: Final = (
    "older", "next", "suivant", "anciens", "próxima", "siguiente", "anteriores", "antigos",
    "التالي", "berikutnya", "sonraki", "tiếp", "अगला", "inayofuata", "»", "›", "→",
)  # fmt: skip
