"""Words that tell Standard Malay (ms) from Indonesian (id).

The two share a grammar and most of their vocabulary, and character n-gram detectors
separate them poorly on short text (py3langid gets one sentence in seven wrong). The
national standards do differ in spelling and in everyday words, as documented in every
comparison of the two (e.g. Wikipedia, "Comparison of Standard Malay and Indonesian"):
kerana/karena, wang/uang, -iti/-itas, Ogos/Agustus, polis/polisi, kereta/mobil ...

Only words that are rare or absent in the other standard are listed: "polisi" (Malay:
policy, Indonesian: police) or "pejabat" (office/official) would mislead, so they are not.
Capitalised entries (days, months, countries) match only as written; lower-case ones
also match capitalised, at the start of a sentence or in a title-case headline, except
English words that start names ("Brigham and Women's Hospital" in Indonesian text).
"""

from __future__ import annotations

import re


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


MALAY_WORDS = _words(
    """
    kerana bahawa iaitu sahaja mahu baharu mengikut manakala justeru sentiasa menerusi
    seramai tahniah teruk esok petang minit kelmarin selepas
    polis tentera askar parti parlimen pembangkang undi mengundi pengundi kempen
    kerajaan perlembagaan peguam tertuduh siasatan jurucakap setiausaha timbalan naib
    pengerusi pengarah sempadan lebuhraya kemalangan letupan bomba mangsa
    syarikat perniagaan peniaga pelaburan pelabur belanjawan cukai hartanah kewangan
    peratus peratusan purata bilion kilang elektrik bekalan sokongan menyokong cadangan
    perkhidmatan pentadbiran pengurusan kawalan kakitangan pertubuhan agensi projek
    universiti pensyarah penyelidik saintis doktor hospital ubat pesakit jangkitan
    kualiti aktiviti komuniti identiti realiti kapasiti integriti prioriti komoditi
    sekuriti majoriti minoriti autoriti populariti televisyen komisyen konvensyen
    maklumat telefon perisian rangkaian kemaskini antarabangsa pengangkutan kenderaan
    teksi bas motosikal basikal kedai filem muzik kelab jurulatih peminat sukan
    pelbagai bahagian akhbar faham fikir berfikir fikiran bercakap berjaya kejayaan
    matlamat merancang cuba mencuba dicuba lelaki kanak-kanak jururawat dekad risau
    letih seronok faedah selesa ialah rakan sedar kesedaran encik lori stesen bilik tingkap
    almari kerusi tandas beg seluar kasut epal ais sejuk taufan haiwan lembu khinzir arnab
    cili membaiki hantar menghantar dihantar memandu bersara pencen jawatan disyaki suspek
    Isnin Khamis Jumaat Ahad Ogos Julai Disember Eropah Syarikat Perancis Itali
    Sepanyol Jepun Inggeris
    """
)

INDONESIAN_WORDS = _words(
    """
    karena bahwa yaitu mau uang justru kemarin besok sore menit ujar banget nggak enggak
    gak polisi tentara prajurit partai parlemen oposisi kampanye pemilu konstitusi
    pengacara terdakwa penyidikan perbatasan bandara kecelakaan ledakan korban
    perusahaan bisnis investasi investor pajak properti keuangan persen miliar pabrik
    listrik pasokan dukungan mendukung usulan layanan administrasi pengelolaan
    manajemen kendali karyawan manajer proyek universitas dosen peneliti ilmuwan dokter
    obat pasien infeksi kualitas aktivitas komunitas identitas realitas kapasitas
    integritas prioritas komoditas mayoritas minoritas otoritas popularitas televisi
    komisi informasi telepon ponsel situs transportasi kendaraan taksi bus
    toko film musik klub pelatih penggemar olahraga berbagai bagian paham pikir berpikir
    pikiran berbicara berhasil keberhasilan rencana berencana coba mencoba dicoba pria
    dekade khawatir mantan kantor sekretaris bisa kapan kalian rekan sadar kesadaran mobil
    truk stasiun kamar jendela lemari kursi celana sepatu kacamata apel dingin badai topan
    longsor hewan sapi kelinci cabai menyetir pensiun diduga tersangka
    Senin Kamis Jumat Agustus Maret Juli Juni Desember Eropa Serikat Prancis Italia
    Spanyol Jepang Inggris Tiongkok
    """
)

_ENGLISH = frozenset({"hospital", "film", "bus", "bas"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def malay_indonesian_balance(text: str) -> int:
    """Malay marker words minus Indonesian marker words in `text` (positive: Malay)."""
    balance = 0
    for word in _WORD.findall(text):
        for form in _forms(word):
            if form in MALAY_WORDS:
                balance += 1
                break
            if form in INDONESIAN_WORDS:
                balance -= 1
                break
    return balance


def _forms(word: str) -> tuple[str, ...]:
    lower = word.lower()
    if word.istitle() and lower not in _ENGLISH:
        return (word, lower)
    return (word,)
