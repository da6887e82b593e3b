"""The wire's own sectors, in display order, each mapped to an IPTC Media Topic and labelled in every
first-class language (BCP 47 tags). `wireroom.taxonomy.loader` syncs them into the database."""

from __future__ import annotations

from typing import TypedDict


class SectorRow(TypedDict):
    slug: str
    iptc_code: str
    labels: dict[str, str]


SECTORS: list[SectorRow] = [
    # An editorial slot, not a subject: a top story can be about anything, so it maps to no Media Topic (the
    # formats leave it out of their subjects) rather than claim every release is about business.
    {"slug": "top-story", "iptc_code": "", "labels": {
        "en": "Top Story", "ko": "톱뉴스", "ja": "トップニュース", "ar": "أبرز الأخبار",
        "zh-Hans": "头条新闻", "zh-Hant": "頭條新聞", "vi": "Tin nổi bật", "th": "ข่าวเด่น",
        "id": "Berita Utama", "ms": "Berita Utama", "de": "Top-Meldung", "ru": "Главная новость",
        "fr": "À la une", "es": "Noticia destacada", "pt": "Destaque"}},
    # The day's roll-up is no subject either.
    {"slug": "daily-news", "iptc_code": "", "labels": {
        "en": "Daily News", "ko": "오늘의 뉴스", "ja": "デイリーニュース", "ar": "أخبار اليوم",
        "zh-Hans": "每日新闻", "zh-Hant": "每日新聞", "vi": "Tin trong ngày", "th": "ข่าวประจำวัน",
        "id": "Berita Hari Ini", "ms": "Berita Semasa", "de": "Tagesmeldungen", "ru": "Новости дня",
        "fr": "Actualité du jour", "es": "Noticias del día", "pt": "Notícias do dia"}},
    {"slug": "business-economy", "iptc_code": "medtop:04000000", "labels": {
        "en": "Business & Economy", "ko": "비즈니스·경제", "ja": "ビジネス・経済",
        "ar": "الأعمال والاقتصاد", "zh-Hans": "商业与经济", "zh-Hant": "商業與經濟",
        "vi": "Kinh doanh & Kinh tế", "th": "ธุรกิจและเศรษฐกิจ", "id": "Bisnis & Ekonomi",
        "ms": "Perniagaan & Ekonomi", "de": "Wirtschaft", "ru": "Бизнес и экономика",
        "fr": "Économie et entreprises", "es": "Negocios y economía", "pt": "Negócios e economia"}},
    {"slug": "technology", "iptc_code": "medtop:20000225", "labels": {
        "en": "Technology", "ko": "기술", "ja": "テクノロジー", "ar": "التكنولوجيا", "zh-Hans": "科技",
        "zh-Hant": "科技", "vi": "Công nghệ", "th": "เทคโนโลยี", "id": "Teknologi", "ms": "Teknologi",
        "de": "Technologie", "ru": "Технологии", "fr": "Technologie", "es": "Tecnología",
        "pt": "Tecnologia"}},
    {"slug": "artificial-intelligence", "iptc_code": "medtop:20001298", "labels": {
        "en": "Artificial Intelligence", "ko": "인공지능", "ja": "人工知能", "ar": "الذكاء الاصطناعي",
        "zh-Hans": "人工智能", "zh-Hant": "人工智慧", "vi": "Trí tuệ nhân tạo", "th": "ปัญญาประดิษฐ์",
        "id": "Kecerdasan Buatan", "ms": "Kecerdasan Buatan", "de": "Künstliche Intelligenz",
        "ru": "Искусственный интеллект", "fr": "Intelligence artificielle", "es": "Inteligencia artificial",
        "pt": "Inteligência artificial"}},
    {"slug": "telecommunications", "iptc_code": "medtop:20000233", "labels": {
        "en": "Telecommunications", "ko": "통신", "ja": "通信", "ar": "الاتصالات", "zh-Hans": "电信",
        "zh-Hant": "電信", "vi": "Viễn thông", "th": "โทรคมนาคม", "id": "Telekomunikasi",
        "ms": "Telekomunikasi", "de": "Telekommunikation", "ru": "Телекоммуникации",
        "fr": "Télécommunications", "es": "Telecomunicaciones", "pt": "Telecomunicações"}},
    # "computer security" (20000229) was retired in 2023, so its parent.
    {"slug": "cybersecurity", "iptc_code": "medtop:20000225", "labels": {
        "en": "Cybersecurity", "ko": "사이버 보안", "ja": "サイバーセキュリティ", "ar": "الأمن السيبراني",
        "zh-Hans": "网络安全", "zh-Hant": "網路安全", "vi": "An ninh mạng", "th": "ความมั่นคงปลอดภัยไซเบอร์",
        "id": "Keamanan Siber", "ms": "Keselamatan Siber", "de": "Cybersicherheit",
        "ru": "Кибербезопасность", "fr": "Cybersécurité", "es": "Ciberseguridad", "pt": "Cibersegurança"}},
    {"slug": "banking-finance", "iptc_code": "medtop:20001370", "labels": {
        "en": "Banking & Finance", "ko": "금융·은행", "ja": "金融・銀行", "ar": "المصارف والتمويل",
        "zh-Hans": "银行与金融", "zh-Hant": "銀行與金融", "vi": "Ngân hàng & Tài chính",
        "th": "การเงินและการธนาคาร", "id": "Perbankan & Keuangan", "ms": "Perbankan & Kewangan",
        "de": "Banken & Finanzen", "ru": "Банки и финансы", "fr": "Banque et finance",
        "es": "Banca y finanzas", "pt": "Bancos e finanças"}},
    {"slug": "fintech", "iptc_code": "medtop:20001370", "labels": {
        "en": "Fintech", "ko": "핀테크", "ja": "フィンテック", "ar": "التكنولوجيا المالية",
        "zh-Hans": "金融科技", "zh-Hant": "金融科技", "vi": "Công nghệ tài chính", "th": "ฟินเทค",
        "id": "Teknologi Finansial", "ms": "Teknologi Kewangan", "de": "Fintech", "ru": "Финтех",
        "fr": "Fintech", "es": "Fintech", "pt": "Fintech"}},
    {"slug": "cryptocurrency-blockchain", "iptc_code": "medtop:20001279", "labels": {
        "en": "Cryptocurrency & Blockchain", "ko": "암호화폐·블록체인", "ja": "暗号資産・ブロックチェーン",
        "ar": "العملات المشفرة والبلوك تشين", "zh-Hans": "加密货币与区块链", "zh-Hant": "加密貨幣與區塊鏈",
        "vi": "Tiền mã hóa & Blockchain", "th": "คริปโทเคอร์เรนซีและบล็อกเชน", "id": "Kripto & Blockchain",
        "ms": "Kripto & Rantaian Blok", "de": "Kryptowährungen & Blockchain",
        "ru": "Криптовалюты и блокчейн", "fr": "Cryptomonnaies et blockchain",
        "es": "Criptomonedas y blockchain", "pt": "Criptomoedas e blockchain"}},
    {"slug": "energy", "iptc_code": "medtop:20000256", "labels": {
        "en": "Energy", "ko": "에너지", "ja": "エネルギー", "ar": "الطاقة", "zh-Hans": "能源",
        "zh-Hant": "能源", "vi": "Năng lượng", "th": "พลังงาน", "id": "Energi", "ms": "Tenaga",
        "de": "Energie", "ru": "Энергетика", "fr": "Énergie", "es": "Energía", "pt": "Energia"}},
    {"slug": "renewable-energy", "iptc_code": "medtop:20000257", "labels": {
        "en": "Renewable Energy", "ko": "재생에너지", "ja": "再生可能エネルギー", "ar": "الطاقة المتجددة",
        "zh-Hans": "可再生能源", "zh-Hant": "再生能源", "vi": "Năng lượng tái tạo", "th": "พลังงานหมุนเวียน",
        "id": "Energi Terbarukan", "ms": "Tenaga Boleh Baharu", "de": "Erneuerbare Energien",
        "ru": "Возобновляемая энергетика", "fr": "Énergies renouvelables", "es": "Energías renovables",
        "pt": "Energia renovável"}},
    {"slug": "automotive", "iptc_code": "medtop:20000296", "labels": {
        "en": "Automotive", "ko": "자동차", "ja": "自動車", "ar": "السيارات", "zh-Hans": "汽车",
        "zh-Hant": "汽車", "vi": "Ô tô", "th": "ยานยนต์", "id": "Otomotif", "ms": "Automotif",
        "de": "Automobil", "ru": "Автомобильная отрасль", "fr": "Automobile", "es": "Automoción",
        "pt": "Setor automotivo"}},
    {"slug": "transport-logistics", "iptc_code": "medtop:20000337", "labels": {
        "en": "Transport & Logistics", "ko": "운송·물류", "ja": "運輸・物流",
        "ar": "النقل والخدمات اللوجستية", "zh-Hans": "交通运输与物流", "zh-Hant": "交通運輸與物流",
        "vi": "Vận tải & Logistics", "th": "การขนส่งและโลจิสติกส์", "id": "Transportasi & Logistik",
        "ms": "Pengangkutan & Logistik", "de": "Transport & Logistik", "ru": "Транспорт и логистика",
        "fr": "Transport et logistique", "es": "Transporte y logística", "pt": "Transporte e logística"}},
    {"slug": "aviation", "iptc_code": "medtop:20000338", "labels": {
        "en": "Aviation", "ko": "항공", "ja": "航空", "ar": "الطيران", "zh-Hans": "航空", "zh-Hant": "航空",
        "vi": "Hàng không", "th": "การบิน", "id": "Penerbangan", "ms": "Penerbangan", "de": "Luftfahrt",
        "ru": "Авиация", "fr": "Aviation", "es": "Aviación", "pt": "Aviação"}},
    {"slug": "real-estate-construction", "iptc_code": "medtop:20000235", "labels": {
        "en": "Real Estate & Construction", "ko": "부동산·건설", "ja": "不動産・建設",
        "ar": "العقارات والبناء", "zh-Hans": "房地产与建筑", "zh-Hant": "房地產與建築",
        "vi": "Bất động sản & Xây dựng", "th": "อสังหาริมทรัพย์และการก่อสร้าง", "id": "Properti & Konstruksi",
        "ms": "Hartanah & Pembinaan", "de": "Immobilien & Bau", "ru": "Недвижимость и строительство",
        "fr": "Immobilier et construction", "es": "Inmobiliario y construcción",
        "pt": "Imóveis e construção"}},
    {"slug": "healthcare", "iptc_code": "medtop:07000000", "labels": {
        "en": "Healthcare", "ko": "헬스케어", "ja": "ヘルスケア", "ar": "الرعاية الصحية",
        "zh-Hans": "医疗健康", "zh-Hant": "醫療保健", "vi": "Y tế", "th": "สุขภาพและการแพทย์",
        "id": "Kesehatan", "ms": "Penjagaan Kesihatan", "de": "Gesundheit", "ru": "Здравоохранение",
        "fr": "Santé", "es": "Salud", "pt": "Saúde"}},
    # "healthcare industry" is the one parent of both "pharmaceutical" and "biotechnology business".
    {"slug": "pharmaceuticals-biotech", "iptc_code": "medtop:20001354", "labels": {
        "en": "Pharmaceuticals & Biotech", "ko": "제약·바이오", "ja": "医薬品・バイオ",
        "ar": "الأدوية والتكنولوجيا الحيوية", "zh-Hans": "医药与生物科技", "zh-Hant": "醫藥與生物科技",
        "vi": "Dược phẩm & Công nghệ sinh học", "th": "เภสัชกรรมและเทคโนโลยีชีวภาพ",
        "id": "Farmasi & Bioteknologi", "ms": "Farmaseutikal & Bioteknologi",
        "de": "Pharma & Biotechnologie", "ru": "Фармацевтика и биотехнологии",
        "fr": "Pharmacie et biotechnologies", "es": "Farmacéutica y biotecnología",
        "pt": "Farmacêutica e biotecnologia"}},
    {"slug": "retail", "iptc_code": "medtop:20000252", "labels": {
        "en": "Retail", "ko": "유통", "ja": "小売", "ar": "تجارة التجزئة", "zh-Hans": "零售",
        "zh-Hant": "零售", "vi": "Bán lẻ", "th": "ค้าปลีก", "id": "Ritel", "ms": "Peruncitan",
        "de": "Einzelhandel", "ru": "Розничная торговля", "fr": "Commerce de détail",
        "es": "Comercio minorista", "pt": "Varejo"}},
    {"slug": "consumer-goods", "iptc_code": "medtop:20000243", "labels": {
        "en": "Consumer Goods", "ko": "소비재", "ja": "消費財", "ar": "السلع الاستهلاكية",
        "zh-Hans": "消费品", "zh-Hant": "消費品", "vi": "Hàng tiêu dùng", "th": "สินค้าอุปโภคบริโภค",
        "id": "Barang Konsumen", "ms": "Barangan Pengguna", "de": "Konsumgüter",
        "ru": "Потребительские товары", "fr": "Biens de consommation", "es": "Bienes de consumo",
        "pt": "Bens de consumo"}},
    {"slug": "food-beverage", "iptc_code": "medtop:20000324", "labels": {
        "en": "Food & Beverage", "ko": "식음료", "ja": "食品・飲料", "ar": "الأغذية والمشروبات",
        "zh-Hans": "食品饮料", "zh-Hant": "食品飲料", "vi": "Thực phẩm & Đồ uống", "th": "อาหารและเครื่องดื่ม",
        "id": "Makanan & Minuman", "ms": "Makanan & Minuman", "de": "Lebensmittel & Getränke",
        "ru": "Продукты питания и напитки", "fr": "Alimentation et boissons",
        "es": "Alimentación y bebidas", "pt": "Alimentos e bebidas"}},
    {"slug": "travel-tourism", "iptc_code": "medtop:20000331", "labels": {
        "en": "Travel & Tourism", "ko": "여행·관광", "ja": "旅行・観光", "ar": "السفر والسياحة",
        "zh-Hans": "旅游出行", "zh-Hant": "旅遊觀光", "vi": "Du lịch", "th": "การท่องเที่ยว",
        "id": "Perjalanan & Pariwisata", "ms": "Pelancongan", "de": "Reise & Tourismus",
        "ru": "Путешествия и туризм", "fr": "Voyage et tourisme", "es": "Viajes y turismo",
        "pt": "Viagens e turismo"}},
    {"slug": "hospitality", "iptc_code": "medtop:20000333", "labels": {
        "en": "Hospitality", "ko": "호텔·숙박", "ja": "ホテル・宿泊", "ar": "الضيافة",
        "zh-Hans": "酒店住宿", "zh-Hant": "飯店住宿", "vi": "Khách sạn & Lưu trú", "th": "การโรงแรม",
        "id": "Perhotelan", "ms": "Hospitaliti", "de": "Hotellerie", "ru": "Гостиничный бизнес",
        "fr": "Hôtellerie", "es": "Hotelería", "pt": "Hotelaria"}},
    {"slug": "entertainment", "iptc_code": "medtop:20000002", "labels": {
        "en": "Entertainment", "ko": "엔터테인먼트", "ja": "エンターテインメント", "ar": "الترفيه",
        "zh-Hans": "娱乐", "zh-Hant": "娛樂", "vi": "Giải trí", "th": "บันเทิง", "id": "Hiburan",
        "ms": "Hiburan", "de": "Unterhaltung", "ru": "Развлечения", "fr": "Divertissement",
        "es": "Entretenimiento", "pt": "Entretenimento"}},
    # The media industry code is the parent of advertising and public relations.
    {"slug": "media-marketing", "iptc_code": "medtop:20000304", "labels": {
        "en": "Media & Marketing", "ko": "미디어·마케팅", "ja": "メディア・マーケティング",
        "ar": "الإعلام والتسويق", "zh-Hans": "媒体与营销", "zh-Hant": "媒體與行銷",
        "vi": "Truyền thông & Tiếp thị", "th": "สื่อและการตลาด", "id": "Media & Pemasaran",
        "ms": "Media & Pemasaran", "de": "Medien & Marketing", "ru": "СМИ и маркетинг",
        "fr": "Médias et marketing", "es": "Medios y marketing", "pt": "Mídia e marketing"}},
    {"slug": "sports", "iptc_code": "medtop:15000000", "labels": {
        "en": "Sports", "ko": "스포츠", "ja": "スポーツ", "ar": "الرياضة", "zh-Hans": "体育",
        "zh-Hant": "體育", "vi": "Thể thao", "th": "กีฬา", "id": "Olahraga", "ms": "Sukan", "de": "Sport",
        "ru": "Спорт", "fr": "Sport", "es": "Deportes", "pt": "Esportes"}},
    # Video games; casinos and betting would be 20000332.
    {"slug": "gaming", "iptc_code": "medtop:20000548", "labels": {
        "en": "Gaming", "ko": "게임", "ja": "ゲーム", "ar": "الألعاب الإلكترونية", "zh-Hans": "游戏",
        "zh-Hant": "遊戲", "vi": "Trò chơi điện tử", "th": "เกม", "id": "Game", "ms": "Permainan Video",
        "de": "Gaming", "ru": "Видеоигры", "fr": "Jeux vidéo", "es": "Videojuegos", "pt": "Games"}},
    {"slug": "lifestyle-fashion", "iptc_code": "medtop:10000000", "labels": {
        "en": "Lifestyle & Fashion", "ko": "라이프스타일·패션", "ja": "ライフスタイル・ファッション",
        "ar": "أسلوب الحياة والموضة", "zh-Hans": "生活时尚", "zh-Hant": "生活時尚",
        "vi": "Phong cách sống & Thời trang", "th": "ไลฟ์สไตล์และแฟชั่น", "id": "Gaya Hidup & Mode",
        "ms": "Gaya Hidup & Fesyen", "de": "Lifestyle & Mode", "ru": "Стиль жизни и мода",
        "fr": "Art de vivre et mode", "es": "Estilo de vida y moda", "pt": "Estilo de vida e moda"}},
    {"slug": "education", "iptc_code": "medtop:05000000", "labels": {
        "en": "Education", "ko": "교육", "ja": "教育", "ar": "التعليم", "zh-Hans": "教育",
        "zh-Hant": "教育", "vi": "Giáo dục", "th": "การศึกษา", "id": "Pendidikan", "ms": "Pendidikan",
        "de": "Bildung", "ru": "Образование", "fr": "Éducation", "es": "Educación", "pt": "Educação"}},
    {"slug": "science-research", "iptc_code": "medtop:13000000", "labels": {
        "en": "Science & Research", "ko": "과학·연구", "ja": "科学・研究", "ar": "العلوم والبحث العلمي",
        "zh-Hans": "科学研究", "zh-Hant": "科學研究", "vi": "Khoa học & Nghiên cứu",
        "th": "วิทยาศาสตร์และการวิจัย", "id": "Sains & Riset", "ms": "Sains & Penyelidikan",
        "de": "Wissenschaft & Forschung", "ru": "Наука и исследования", "fr": "Sciences et recherche",
        "es": "Ciencia e investigación", "pt": "Ciência e pesquisa"}},
    {"slug": "government-public-policy", "iptc_code": "medtop:11000000", "labels": {
        "en": "Government & Public Policy", "ko": "정부·공공정책", "ja": "政府・公共政策",
        "ar": "الحكومة والسياسات العامة", "zh-Hans": "政府与公共政策", "zh-Hant": "政府與公共政策",
        "vi": "Chính phủ & Chính sách công", "th": "ภาครัฐและนโยบายสาธารณะ",
        "id": "Pemerintahan & Kebijakan Publik", "ms": "Kerajaan & Dasar Awam",
        "de": "Politik & Verwaltung", "ru": "Государство и политика",
        "fr": "Institutions et politiques publiques", "es": "Gobierno y políticas públicas",
        "pt": "Governo e políticas públicas"}},
    {"slug": "environment-sustainability", "iptc_code": "medtop:06000000", "labels": {
        "en": "Environment & Sustainability", "ko": "환경·지속가능성", "ja": "環境・サステナビリティ",
        "ar": "البيئة والاستدامة", "zh-Hans": "环境与可持续发展", "zh-Hant": "環境與永續發展",
        "vi": "Môi trường & Phát triển bền vững", "th": "สิ่งแวดล้อมและความยั่งยืน",
        "id": "Lingkungan & Keberlanjutan", "ms": "Alam Sekitar & Kelestarian",
        "de": "Umwelt & Nachhaltigkeit", "ru": "Экология и устойчивое развитие",
        "fr": "Environnement et développement durable", "es": "Medio ambiente y sostenibilidad",
        "pt": "Meio ambiente e sustentabilidade"}},
    {"slug": "agriculture", "iptc_code": "medtop:20000210", "labels": {
        "en": "Agriculture", "ko": "농업", "ja": "農業", "ar": "الزراعة", "zh-Hans": "农业",
        "zh-Hant": "農業", "vi": "Nông nghiệp", "th": "เกษตรกรรม", "id": "Pertanian", "ms": "Pertanian",
        "de": "Landwirtschaft", "ru": "Сельское хозяйство", "fr": "Agriculture", "es": "Agricultura",
        "pt": "Agricultura"}},
    {"slug": "manufacturing", "iptc_code": "medtop:20000294", "labels": {
        "en": "Manufacturing", "ko": "제조업", "ja": "製造業", "ar": "الصناعة التحويلية",
        "zh-Hans": "制造业", "zh-Hant": "製造業", "vi": "Sản xuất công nghiệp", "th": "อุตสาหกรรมการผลิต",
        "id": "Manufaktur", "ms": "Pembuatan", "de": "Industrie & Fertigung",
        "ru": "Промышленное производство", "fr": "Industrie manufacturière",
        "es": "Industria manufacturera", "pt": "Indústria"}},
    {"slug": "mining-metals", "iptc_code": "medtop:20000316", "labels": {
        "en": "Mining & Metals", "ko": "광업·금속", "ja": "鉱業・金属", "ar": "التعدين والمعادن",
        "zh-Hans": "矿业与金属", "zh-Hant": "礦業與金屬", "vi": "Khai khoáng & Kim loại",
        "th": "เหมืองแร่และโลหะ", "id": "Pertambangan & Logam", "ms": "Perlombongan & Logam",
        "de": "Bergbau & Metalle", "ru": "Горнодобывающая отрасль и металлургия", "fr": "Mines et métaux",
        "es": "Minería y metales", "pt": "Mineração e metais"}},
    {"slug": "chemicals", "iptc_code": "medtop:20000217", "labels": {
        "en": "Chemicals", "ko": "화학", "ja": "化学", "ar": "الكيماويات", "zh-Hans": "化工",
        "zh-Hant": "化工", "vi": "Hóa chất", "th": "เคมีภัณฑ์", "id": "Kimia", "ms": "Kimia", "de": "Chemie",
        "ru": "Химическая промышленность", "fr": "Chimie", "es": "Química", "pt": "Química"}},
    {"slug": "human-resources", "iptc_code": "medtop:09000000", "labels": {
        "en": "Human Resources & Employment", "ko": "인사·고용", "ja": "人事・雇用",
        "ar": "الموارد البشرية والتوظيف", "zh-Hans": "人力资源与就业", "zh-Hant": "人力資源與就業",
        "vi": "Nhân sự & Việc làm", "th": "ทรัพยากรบุคคลและการจ้างงาน", "id": "SDM & Ketenagakerjaan",
        "ms": "Sumber Manusia & Pekerjaan", "de": "Personal & Arbeitsmarkt", "ru": "Кадры и занятость",
        "fr": "Ressources humaines et emploi", "es": "Recursos humanos y empleo",
        "pt": "Recursos humanos e emprego"}},
    # Covers law firms and court notices alike; "legal service" (20000282) would drop the latter.
    {"slug": "legal", "iptc_code": "medtop:02000000", "labels": {
        "en": "Legal", "ko": "법률", "ja": "法律", "ar": "الشؤون القانونية", "zh-Hans": "法律",
        "zh-Hant": "法律", "vi": "Pháp lý", "th": "กฎหมาย", "id": "Hukum", "ms": "Undang-undang",
        "de": "Recht", "ru": "Право", "fr": "Juridique", "es": "Jurídico", "pt": "Jurídico"}},
    {"slug": "non-profit", "iptc_code": "medtop:20000646", "labels": {
        "en": "Non-profit", "ko": "비영리", "ja": "非営利団体", "ar": "المنظمات غير الربحية",
        "zh-Hans": "非营利组织", "zh-Hant": "非營利組織", "vi": "Phi lợi nhuận", "th": "องค์กรไม่แสวงหากำไร",
        "id": "Nirlaba", "ms": "Pertubuhan Bukan Untung", "de": "Gemeinnützige Organisationen",
        "ru": "Некоммерческие организации", "fr": "Associations et ONG", "es": "Sin fines de lucro",
        "pt": "Terceiro setor"}},
]
