"""Original sample releases for the demo wire: every issuer, person, figure and address is invented."""

from __future__ import annotations

from typing import TypedDict


class SampleLocalization(TypedDict):
    language: str  # BCP 47 tag of a first-class language
    headline: str
    summary: str  # one sentence
    body_html: str  # 3-5 paragraphs of safe HTML
    origin: str  # "author" for the original; "human" or "machine" for translations
    translated_from: str | None  # the original's tag for translations, None for the original
    engine: str  # machine translation engine, "" otherwise
    translator: str  # human translator, "" otherwise


class SampleRelease(TypedDict):
    key: str  # short unique slug
    kind: str  # "press_release" | "third_party_article" | "media_advisory"
    issuer: str  # issuer organization slug
    original_language: str
    sectors: list[str]
    countries: list[str]  # ISO 3166-1 alpha-2
    regions: list[str]
    languages: list[str]  # distribution languages
    dateline: str  # in the original language's convention
    contacts: list[dict[str, str]]  # name, organization, email, phone
    state: str  # target demo state
    hours_ago: int  # published/corrected: hours since publication; scheduled: hours until it; else 0
    correction_note: str  # what the correction fixed ("corrected" only)
    localizations: list[SampleLocalization]


SAMPLE_RELEASES: tuple[SampleRelease, ...] = (
    {
        "key": "gulf-solar-desalination",
        "kind": "press_release",
        "issuer": "nahr-energy",
        "original_language": "ar",
        "sectors": ["renewable-energy", "energy", "environment-sustainability"],
        "countries": ["AE", "OM", "SA"],
        "regions": ["gcc", "mena"],
        "languages": ["ar", "en", "fr"],
        "dateline": "دبي، الإمارات العربية المتحدة",
        "contacts": [
            {
                "name": "Mariam Al Nuaimi",
                "organization": "Nahr Energy",
                "email": "media.nahr@example.com",
                "phone": "+1 202 555 0141",
            },
        ],
        "state": "published",
        "hours_ago": 5,
        "correction_note": "",
        "localizations": [
            {
                "language": "ar",
                "headline": (
                    "Nahr Energy تبدأ التشغيل التجاري لمحطة تحلية تعمل بالطاقة الشمسية بطاقة 60,000 متر "
                    "مكعب يومياً"
                ),
                "summary": (
                    "بدأت Nahr Energy التشغيل التجاري لمحطة لتحلية مياه البحر بتقنية التناضح العكسي على "
                    "الساحل الشرقي لدولة الإمارات، تعمل بالطاقة الشمسية نهاراً وبالطاقة المخزنة في "
                    "البطاريات ليلاً."
                ),
                "body_html": (
                    "<p>أعلنت شركة Nahr Energy اليوم بدء التشغيل التجاري لمحطة الساحل الشرقي لتحلية مياه "
                    "البحر، وهي منشأة تعمل بتقنية التناضح العكسي وتبلغ طاقتها الإنتاجية 60,000 متر مكعب "
                    "من مياه الشرب يومياً، وهو ما يكفي لتلبية الاحتياجات اليومية لنحو 150,000 نسمة. "
                    "وتستمد المحطة الكهرباء اللازمة لتشغيلها من حقل شمسي مجاور بقدرة 45 ميغاواط، إلى "
                    "جانب نظام لتخزين الطاقة في البطاريات بسعة 120 ميغاواط ساعة يتيح مواصلة الإنتاج بعد "
                    "غروب الشمس.</p>"
                    "<p>وقال Khalid Al Mansoori، الرئيس التنفيذي لشركة Nahr Energy: «تثبت هذه المحطة أن "
                    "إنتاج المياه على مدار الساعة بالاعتماد على الطاقة المتجددة أصبح خياراً مجدياً تجارياً "
                    "في منطقتنا. لقد صممنا المشروع منذ البداية ليعمل بأدنى مستوى ممكن من الانبعاثات "
                    "وبتكاليف تشغيل يمكن التنبؤ بها على المدى الطويل».</p>"
                    "<p>وتقدّر الشركة أن المحطة ستجنّب انبعاث نحو 30,000 طن من ثاني أكسيد الكربون سنوياً "
                    "مقارنةً بتشغيلها بكهرباء مولّدة من الغاز الطبيعي. كما تعتمد المحطة على نظام لاستعادة "
                    "الطاقة من المياه شديدة الملوحة، التي تُصرف عبر ناشرات مصممة للحد من تأثيرها على "
                    "البيئة البحرية، ضمن برنامج رصد مستقل تشارك فيه جامعة محلية.</p>"
                    "<p>وبلغت التكلفة الإجمالية للمشروع 780 مليون درهم، وقد نُفّذ بالشراكة مع هيئة المياه "
                    "المحلية بموجب اتفاقية لشراء المياه مدتها 25 عاماً. وتعتزم الشركة تطبيق النموذج ذاته "
                    "في مشروعين إضافيين قيد الدراسة في سلطنة عُمان والمملكة العربية السعودية. ولمزيد من "
                    "المعلومات، يمكن زيارة <a "
                    'href="https://example.com/nahr-energy/east-coast-desalination">صفحة المشروع</a>.</p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Nahr Energy begins commercial operation of solar-powered desalination plant "
                    "producing 60,000 cubic metres a day"
                ),
                "summary": (
                    "Nahr Energy has started commercial operation of a reverse-osmosis seawater "
                    "desalination plant on the east coast of the UAE that runs on solar power during the "
                    "day and on battery-stored energy at night."
                ),
                "body_html": (
                    "<p>Nahr Energy today announced the start of commercial operation at the East Coast "
                    "seawater desalination plant, a reverse-osmosis facility with a capacity of 60,000 "
                    "cubic metres of drinking water a day, enough to meet the daily needs of around "
                    "150,000 people. The plant draws its electricity from an adjacent 45-megawatt solar "
                    "field, together with a 120-megawatt-hour battery storage system that allows "
                    "production to continue after sunset.</p>"
                    '<p>"This plant shows that producing water around the clock from renewable energy '
                    'has become a commercially viable option in our region," said Khalid Al Mansoori, '
                    'Chief Executive Officer of Nahr Energy. "We designed the project from the outset to '
                    "run with the lowest possible emissions and with operating costs that are "
                    'predictable over the long term."</p>'
                    "<p>The company estimates that the plant will avoid around 30,000 tonnes of carbon "
                    "dioxide emissions a year compared with running it on electricity generated from "
                    "natural gas. The plant also uses an energy-recovery system for the high-salinity "
                    "brine, which is discharged through diffusers designed to limit its impact on the "
                    "marine environment, under an independent monitoring programme involving a local "
                    "university.</p>"
                    "<p>The project cost AED 780 million in total and was delivered in partnership with "
                    "the local water authority under a 25-year water purchase agreement. The company "
                    "plans to apply the same model to two further projects under study in Oman and Saudi "
                    "Arabia. More information is available on the <a "
                    'href="https://example.com/nahr-energy/east-coast-desalination">project page</a>.</p>'
                ),
                "origin": "human",
                "translated_from": "ar",
                "engine": "",
                "translator": "Sara Haddad",
            },
            {
                "language": "fr",
                "headline": (
                    "Nahr Energy lance l'exploitation commerciale d'une usine de dessalement solaire "
                    "d'une capacité de 60 000 mètres cubes par jour"
                ),
                "summary": (
                    "Nahr Energy a mis en service commercial une usine de dessalement d'eau de mer par "
                    "osmose inverse sur la côte est des Émirats arabes unis, alimentée par l'énergie "
                    "solaire le jour et par des batteries la nuit."
                ),
                "body_html": (
                    "<p>Nahr Energy a annoncé aujourd'hui le début de l'exploitation commerciale de "
                    "l'usine de dessalement d'eau de mer de la côte est, une installation d'osmose "
                    "inverse d'une capacité de 60 000 mètres cubes d'eau potable par jour, de quoi "
                    "couvrir les besoins quotidiens d'environ 150 000 personnes. L'usine est alimentée "
                    "par un champ solaire adjacent de 45 mégawatts, associé à un système de stockage par "
                    "batteries de 120 mégawattheures qui permet de poursuivre la production après le "
                    "coucher du soleil.</p>"
                    "<p>« Cette usine démontre que la production d'eau 24 heures sur 24 à partir "
                    "d'énergies renouvelables est devenue une option commercialement viable dans notre "
                    "région », a déclaré Khalid Al Mansoori, directeur général de Nahr Energy. « Dès le "
                    "départ, nous avons conçu le projet pour qu'il fonctionne avec le moins d'émissions "
                    "possible et avec des coûts d'exploitation prévisibles sur le long terme. »</p>"
                    "<p>L'entreprise estime que l'usine permettra d'éviter l'émission d'environ 30 000 "
                    "tonnes de dioxyde de carbone par an par rapport à un fonctionnement à l'électricité "
                    "produite à partir de gaz naturel. L'usine est également équipée d'un système de "
                    "récupération d'énergie sur la saumure, rejetée par des diffuseurs conçus pour "
                    "limiter son impact sur le milieu marin, dans le cadre d'un programme de "
                    "surveillance indépendant auquel participe une université locale.</p>"
                    "<p>Le coût total du projet s'élève à 780 millions de dirhams. Il a été réalisé en "
                    "partenariat avec l'autorité locale de l'eau dans le cadre d'un contrat d'achat "
                    "d'eau d'une durée de 25 ans. L'entreprise prévoit d'appliquer le même modèle à deux "
                    "autres projets à l'étude à Oman et en Arabie saoudite. Plus d'informations sont "
                    "disponibles sur la <a "
                    'href="https://example.com/nahr-energy/east-coast-desalination">page du '
                    "projet</a>.</p>"
                ),
                "origin": "machine",
                "translated_from": "ar",
                "engine": "opus-mt",
                "translator": "",
            },
        ],
    },
    {
        "key": "gulf-water-reuse-forum",
        "kind": "third_party_article",
        "issuer": "horizon-newsdesk",
        "original_language": "ar",
        "sectors": ["top-story", "environment-sustainability"],
        "countries": ["OM", "AE", "SA", "KW", "QA", "BH"],
        "regions": ["gcc", "mena"],
        "languages": ["ar", "en"],
        "dateline": "مسقط، سلطنة عُمان",
        "contacts": [
            {
                "name": "Youssef Karam",
                "organization": "Horizon Newsdesk",
                "email": "desk.arabic@example.org",
                "phone": "+1 202 555 0177",
            },
        ],
        "state": "published",
        "hours_ago": 9,
        "correction_note": "",
        "localizations": [
            {
                "language": "ar",
                "headline": "دول الخليج تتجه إلى مضاعفة إعادة استخدام المياه المعالجة مع تزايد الطلب",
                "summary": (
                    "ناقش مسؤولون وخبراء في منتدى إقليمي للمياه في مسقط خططاً لزيادة إعادة استخدام مياه "
                    "الصرف المعالجة في الزراعة والصناعة، في ظل استمرار ارتفاع الطلب وتكاليف التحلية."
                ),
                "body_html": (
                    "<p>اختُتمت في مسقط أمس أعمال منتدى إقليمي للمياه شارك فيه مسؤولون من هيئات المياه في "
                    "عدد من دول مجلس التعاون الخليجي، إلى جانب باحثين وممثلين عن القطاع الخاص. وتركزت "
                    "النقاشات على سبل التوسع في إعادة استخدام مياه الصرف الصحي المعالجة للتخفيف من الضغط "
                    "على المياه الجوفية ومحطات التحلية.</p>"
                    "<p>وبحسب أرقام عرضها مشاركون في المنتدى، تعالج دول المنطقة مجتمعةً نحو 4 مليارات متر "
                    "مكعب من مياه الصرف سنوياً، غير أن أقل من نصف هذه الكمية يُعاد استخدامه فعلياً، فيما "
                    "يُصرف الباقي إلى البحر أو يُستخدم بكفاءة منخفضة. وتسعى عدة حكومات إلى رفع هذه النسبة "
                    "إلى 90% خلال العقد المقبل.</p>"
                    "<p>وقالت الدكتورة Salma Al Harthy، الباحثة في إدارة الموارد المائية، إن المياه "
                    "المعالجة «لم تعد خياراً ثانوياً، بل أصبحت مورداً أساسياً يمكن أن يغطي جزءاً كبيراً من "
                    "احتياجات الري في المدن والمزارع المحيطة بها». وأضافت أن التحدي الأكبر يكمن في إنشاء "
                    "شبكات التوزيع وكسب ثقة المزارعين والمستهلكين في سلامة هذه المياه.</p>"
                    "<p>وأشار ممثلو شركات المرافق إلى أن تكلفة معالجة المتر المكعب من مياه الصرف إلى "
                    "مستوى يسمح باستخدامه في الري تقل في الغالب عن تكلفة تحلية الكمية نفسها من مياه "
                    "البحر، مما يجعل هذا الخيار مجدياً من الناحية الاقتصادية. ومن المقرر أن ترفع اللجنة "
                    "المنظمة للمنتدى توصياتها إلى الجهات المعنية في الدول المشاركة خلال الأشهر "
                    "المقبلة.</p>"
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": "Gulf states look to double the reuse of treated water as demand rises",
                "summary": (
                    "Officials and experts at a regional water forum in Muscat discussed plans to "
                    "increase the reuse of treated wastewater in agriculture and industry, as demand and "
                    "the cost of desalination continue to rise."
                ),
                "body_html": (
                    "<p>A regional water forum concluded in Muscat yesterday, attended by officials from "
                    "water authorities in several Gulf Cooperation Council states, along with "
                    "researchers and representatives of the private sector. Discussions focused on ways "
                    "to expand the reuse of treated wastewater in order to ease pressure on groundwater "
                    "and desalination plants.</p>"
                    "<p>According to figures presented by participants at the forum, the countries of "
                    "the region together treat around 4 billion cubic metres of wastewater a year, but "
                    "less than half of this volume is actually reused, while the rest is discharged into "
                    "the sea or used with low efficiency. Several governments aim to raise this share to "
                    "90% over the next decade.</p>"
                    "<p>Dr. Salma Al Harthy, a researcher in water resources management, said treated "
                    'water "is no longer a secondary option, but has become a core resource that can '
                    'cover a large part of irrigation needs in cities and the farms around them." She '
                    "added that the biggest challenge lies in building distribution networks and earning "
                    "the trust of farmers and consumers in the safety of this water.</p>"
                    "<p>Representatives of utility companies noted that the cost of treating a cubic "
                    "metre of wastewater to a level that allows its use in irrigation is generally lower "
                    "than the cost of desalinating the same amount of seawater, which makes this option "
                    "economically viable. The forum's organising committee is expected to submit its "
                    "recommendations to the relevant authorities in the participating countries in the "
                    "coming months.</p>"
                ),
                "origin": "machine",
                "translated_from": "ar",
                "engine": "opus-mt",
                "translator": "",
            },
        ],
    },
    {
        "key": "lotus-q3-results",
        "kind": "press_release",
        "issuer": "lotus-fintech",
        "original_language": "zh-Hans",
        "sectors": ["fintech", "business-economy"],
        "countries": ["CN", "HK", "SG"],
        "regions": ["greater-china", "asia"],
        "languages": ["zh-Hans", "en"],
        "dateline": "中国上海",
        "contacts": [
            {
                "name": "Zhou Ning",
                "organization": "Lotus Fintech",
                "email": "ir.lotus@example.com",
                "phone": "+1 415 555 0123",
            },
        ],
        "state": "corrected",
        "hours_ago": 30,
        "correction_note": (
            "Corrected the year-on-year growth in cross-border transaction volume in the summary and the "
            "second paragraph: 38%, not 83% as first published."
        ),
        "localizations": [
            {
                "language": "zh-Hans",
                "headline": "莲花金融科技公布第三季度业绩：营业收入同比增长24%，跨境支付成为主要增长动力",
                "summary": (
                    "莲花金融科技第三季度实现营业收入8.6亿元人民币，同比增长24%；净利润1.1亿元人民币，跨"
                    "境支付交易额同比增长38%。"
                ),
                "body_html": (
                    "<p>莲花金融科技（Lotus "
                    "Fintech）今日公布截至9月30日止第三季度未经审计的财务业绩。本季度公司实现营业收入8.6"
                    "亿元人民币，同比增长24%；归属于股东的净利润为1.1亿元人民币，上年同期为7,800万元人民"
                    "币。</p>"
                    "<p>报告期内，跨境支付业务继续是公司增长的主要动力。面向中小外贸企业的跨境收款平台处"
                    "理交易额420亿元人民币，同比增长38%；活跃企业客户数增至6.3万家，较上一季度净增约5,000"
                    "家。国内商户收单业务收入保持平稳，同比增长6%。</p>"
                    "<p>公司首席执行官陈雨岚表示：“第三季度，我们在东南亚和中东市场的布局开始转化为稳定的"
                    "收入。我们将继续在合规、风险管理和本地化服务方面加大投入，帮助中小企业以更低的成本、"
                    "更快的速度完成跨境结算。”</p>"
                    "<p>本季度研发投入为1.4亿元人民币，约占营业收入的16%。截至季度末，公司持有现金及现金"
                    "等价物32亿元人民币。公司维持全年营业收入同比增长20%至25%的预期。完整业绩资料请见公司"
                    '<a href="https://example.com/lotus-fintech/investors">投资者关系网站</a>。</p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Lotus Fintech reports third-quarter results: revenue up 24% year on year as "
                    "cross-border payments drive growth"
                ),
                "summary": (
                    "Lotus Fintech posted third-quarter revenue of RMB 860 million, up 24% year on year, "
                    "and net profit of RMB 110 million, while cross-border payment volume grew 38%."
                ),
                "body_html": (
                    "<p>Lotus Fintech today reported unaudited financial results for the third quarter "
                    "ended 30 September. Revenue for the quarter was RMB 860 million, an increase of 24% "
                    "year on year. Net profit attributable to shareholders was RMB 110 million, compared "
                    "with RMB 78 million in the same period last year.</p>"
                    "<p>Cross-border payments remained the company's main driver of growth during the "
                    "period. Its cross-border collection platform for small and medium-sized exporters "
                    "processed RMB 42 billion in transactions, up 38% year on year, and the number of "
                    "active business customers rose to 63,000, a net increase of about 5,000 from the "
                    "previous quarter. Revenue from domestic merchant acquiring was stable, rising 6% "
                    "year on year.</p>"
                    '<p>"In the third quarter, our investments in Southeast Asia and the Middle East '
                    'began to turn into steady revenue," said Chen Yulan, Chief Executive Officer. "We '
                    "will keep investing in compliance, risk management and local services to help small "
                    'businesses settle cross-border payments faster and at lower cost."</p>'
                    "<p>Research and development spending for the quarter was RMB 140 million, about 16% "
                    "of revenue. At the end of the quarter, the company held RMB 3.2 billion in cash and "
                    "cash equivalents. Lotus Fintech maintained its expectation of full-year revenue "
                    "growth of 20% to 25%. Full results materials are available on the company's <a "
                    'href="https://example.com/lotus-fintech/investors">investor relations '
                    "website</a>.</p>"
                ),
                "origin": "human",
                "translated_from": "zh-Hans",
                "engine": "",
                "translator": "Li Wen",
            },
        ],
    },
    {
        "key": "lotus-pelangi-qr-payments",
        "kind": "press_release",
        "issuer": "lotus-fintech",
        "original_language": "zh-Hans",
        "sectors": ["fintech", "business-economy"],
        "countries": ["CN", "MY"],
        "regions": ["greater-china", "asean"],
        "languages": ["zh-Hans", "en"],
        "dateline": "马来西亚吉隆坡",
        "contacts": [
            {
                "name": "Xu Jiahui",
                "organization": "Lotus Fintech",
                "email": "press.lotus@example.com",
                "phone": "+1 415 555 0187",
            },
        ],
        "state": "scheduled",
        "hours_ago": 18,
        "correction_note": "",
        "localizations": [
            {
                "language": "zh-Hans",
                "headline": (
                    "莲花金融科技与马来西亚 Pelangi Digital Bank 合作，为两国中小商户提供扫码跨境支付服务"
                ),
                "summary": (
                    "双方将对接二维码支付网络，使中国和马来西亚的中小商户能够以本币完成跨境收付款和结算，"
                    "相关服务预计于明年第一季度上线。"
                ),
                "body_html": (
                    "<p>莲花金融科技今日宣布，与马来西亚 Pelangi Digital Bank "
                    "签署战略合作协议。根据协议，双方将对接各自的商户收单网络和二维码支付系统，使两国的中"
                    "小商户和消费者能够直接以人民币和林吉特完成跨境付款与结算，无需再经过第三种货币兑换。"
                    "</p>"
                    "<p>首阶段服务将覆盖零售、餐饮和旅游等行业的约2万家商户。中国游客在马来西亚可以使用常"
                    "用的手机钱包扫描当地商户的二维码付款；马来西亚的外贸企业则可以通过 Pelangi Digital "
                    "Bank 的企业账户收取中国采购商的货款，资金一般在一个工作日内到账。</p>"
                    "<p>莲花金融科技国际业务总裁林嘉明表示：“东盟是我们海外业务的重点市场。与当地持牌银行"
                    "合作，既能确保服务符合当地的监管要求，也能让商户在熟悉的渠道中使用跨境支付服务。”Pel"
                    "angi Digital Bank 首席执行官 Aisyah Rahman "
                    "表示：“对马来西亚的中小企业来说，更快捷、更透明的跨境结算可以直接降低经营成本，帮助"
                    "它们更好地把握与中国市场的贸易机会。”</p>"
                    "<p>该服务尚需获得两国相关监管机构的批准，预计于明年第一季度正式上线。双方还计划在后"
                    "续阶段将合作扩展至印度尼西亚、泰国等其他东盟市场。更多信息请访问<a "
                    'href="https://example.com/lotus-fintech/pelangi">合作专题页面</a>。</p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Lotus Fintech partners with Malaysia's Pelangi Digital Bank to offer QR-code "
                    "cross-border payments to small merchants in both countries"
                ),
                "summary": (
                    "The two parties will connect their QR-code payment networks so that small and "
                    "medium-sized merchants in China and Malaysia can collect payments and settle across "
                    "borders in local currency, with the service expected to launch in the first quarter "
                    "of next year."
                ),
                "body_html": (
                    "<p>Lotus Fintech today announced that it has signed a strategic cooperation "
                    "agreement with Malaysia's Pelangi Digital Bank. Under the agreement, the two "
                    "parties will connect their merchant acquiring networks and QR-code payment systems, "
                    "allowing small and medium-sized merchants and consumers in both countries to make "
                    "cross-border payments and settlements directly in renminbi and ringgit, without "
                    "conversion through a third currency.</p>"
                    "<p>The first phase of the service will cover about 20,000 merchants in sectors such "
                    "as retail, catering and tourism. Chinese tourists in Malaysia will be able to pay "
                    "by scanning local merchants' QR codes with their usual mobile wallets, while "
                    "Malaysian exporters will be able to receive payments from Chinese buyers through "
                    "Pelangi Digital Bank business accounts, with funds generally arriving within one "
                    "working day.</p>"
                    '<p>"ASEAN is a key market for our overseas business," said Lin Jiaming, President '
                    'of International Business at Lotus Fintech. "Cooperating with a locally licensed '
                    "bank ensures that the service meets local regulatory requirements, and also lets "
                    'merchants use cross-border payments through channels they are familiar with." '
                    'Aisyah Rahman, Chief Executive Officer of Pelangi Digital Bank, said: "For small '
                    "and medium-sized enterprises in Malaysia, faster and more transparent cross-border "
                    "settlement can directly reduce operating costs and help them better seize trade "
                    'opportunities with the Chinese market."</p>'
                    "<p>The service is still subject to approval by the relevant regulators in both "
                    "countries and is expected to be officially launched in the first quarter of next "
                    "year. The two parties also plan to extend the cooperation to other ASEAN markets "
                    "such as Indonesia and Thailand at a later stage. For more information, please visit "
                    'the <a href="https://example.com/lotus-fintech/pelangi">partnership page</a>.</p>'
                ),
                "origin": "machine",
                "translated_from": "zh-Hans",
                "engine": "opus-mt",
                "translator": "",
            },
        ],
    },
    {
        "key": "sakura-taichung-service-centre",
        "kind": "press_release",
        "issuer": "sakura-robotics",
        "original_language": "zh-Hant",
        "sectors": ["technology", "business-economy"],
        "countries": ["TW"],
        "regions": ["greater-china", "asia"],
        "languages": ["zh-Hant"],
        "dateline": "台灣台中",
        "contacts": [
            {
                "name": "Lin Yu-ting",
                "organization": "Sakura Robotics Taiwan",
                "email": "taiwan.sakura@example.com",
                "phone": "+1 312 555 0164",
            },
        ],
        "state": "in_review",
        "hours_ago": 0,
        "correction_note": "",
        "localizations": [
            {
                "language": "zh-Hant",
                "headline": "櫻花機器人於台中設立技術服務中心，強化對台灣製造業客戶的在地支援",
                "summary": (
                    "總部位於日本大阪的櫻花機器人在台中啟用其在台灣的首座技術服務中心，提供設備維修、備品"
                    "供應及操作人員培訓等服務。"
                ),
                "body_html": (
                    "<p>工業機器人製造商櫻花機器人（Sakura "
                    "Robotics）今日宣布，其在台灣的首座技術服務中心正式於台中市啟用。中心佔地約1,200平方"
                    "公尺，設有維修工作站、備品倉庫及培訓教室，將為中部地區的工具機、電子零組件及食品加工"
                    "業者提供技術支援。</p>"
                    "<p>服務中心初期配置25名工程師，接獲報修後4小時內即可抵達台中、彰化及南投地區的客戶現"
                    "場。備品倉庫常備超過3,000項零件，多數常用零件可於當日出貨，協助客戶縮短停機時間。</p"
                    ">"
                    "<p>中心內的培訓教室配備6套協作型機器人，每年可為約800名客戶端的操作及維修人員開設課"
                    "程，內容涵蓋基本操作、安全規範與程式設計。櫻花機器人也將與在地的科技大學合作開設實習"
                    "課程，培育自動化領域的人才。</p>"
                    "<p>櫻花機器人台灣分公司總經理山田健一表示：「台灣是我們在亞洲最重要的市場之一。客戶"
                    "希望設備發生問題時能獲得即時回應，在台中設立服務中心，讓我們更貼近客戶，也更能了解在"
                    "地產業的需求。」相關資訊請參閱<a "
                    'href="https://example.com/sakura-robotics/taichung">櫻花機器人台灣網站</a>。</p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
        ],
    },
    {
        "key": "siam-orchid-frozen-desserts",
        "kind": "press_release",
        "issuer": "siam-orchid-foods",
        "original_language": "th",
        "sectors": ["food-beverage", "retail"],
        "countries": ["TH", "MY", "SG"],
        "regions": ["asean"],
        "languages": ["th", "en", "ms"],
        "dateline": "กรุงเทพฯ",
        "contacts": [
            {
                "name": "Warunee Chaiyaporn",
                "organization": "Siam Orchid Foods",
                "email": "pr.siamorchid@example.com",
                "phone": "+1 646 555 0119",
            },
        ],
        "state": "published",
        "hours_ago": 52,
        "correction_note": "",
        "localizations": [
            {
                "language": "th",
                "headline": "สยามออร์คิด ฟู้ดส์ เปิดตัวขนมไทยแช่แข็งพร้อมรับประทาน รุกตลาดมาเลเซียและสิงคโปร์",
                "summary": (
                    "สยามออร์คิด ฟู้ดส์ เปิดตัวขนมไทยแช่แข็งพร้อมรับประทาน 3 รายการที่ได้รับการรับรองฮาลาล "
                    "และจะเริ่มวางจำหน่ายในมาเลเซียและสิงคโปร์ภายในเดือนหน้า"
                ),
                "body_html": (
                    "<p>บริษัท สยามออร์คิด ฟู้ดส์ จำกัด (มหาชน) ผู้ผลิตอาหารแปรรูปจากกรุงเทพฯ "
                    "เปิดตัวขนมไทยแช่แข็งพร้อมรับประทานภายใต้แบรนด์ “ออร์คิด สวีท” จำนวน 3 รายการ ได้แก่ "
                    "ข้าวเหนียวมะม่วง ข้าวเหนียวทุเรียน และบัวลอยมะพร้าวอ่อน ผลิตภัณฑ์ทั้งหมดได้รับการรับรองฮาลาล "
                    "และจะเริ่มวางจำหน่ายในซูเปอร์มาร์เก็ตชั้นนำของมาเลเซียและสิงคโปร์ภายในเดือนหน้า</p>"
                    "<p>ผลิตภัณฑ์ใหม่ผ่านกระบวนการแช่เยือกแข็งแบบรวดเร็ว "
                    "ซึ่งช่วยคงเนื้อสัมผัสที่นุ่มของข้าวเหนียวและรสชาติของผลไม้ให้ใกล้เคียงกับขนมที่ทำสดใหม่ "
                    "ผู้บริโภคเพียงอุ่นด้วยไมโครเวฟประมาณ 2 นาทีก็พร้อมรับประทาน และสามารถเก็บรักษาได้นาน 12 "
                    "เดือนที่อุณหภูมิ -18 องศาเซลเซียส</p>"
                    "<p>นางสาวพิมพ์ชนก วงศ์ไพศาล ประธานเจ้าหน้าที่บริหาร บริษัท สยามออร์คิด ฟู้ดส์ จำกัด (มหาชน) กล่าวว่า "
                    "“ขนมไทยเป็นที่รู้จักและชื่นชอบของผู้บริโภคในอาเซียนอยู่แล้ว "
                    "แต่การหาซื้อขนมไทยคุณภาพดีในต่างประเทศยังไม่ง่ายนัก เราจึงพัฒนาผลิตภัณฑ์ที่คงรสชาติแบบดั้งเดิมไว้ "
                    "ขณะเดียวกันก็สะดวกต่อการขนส่งและเก็บรักษา”</p>"
                    "<p>บริษัทฯ ใช้เงินลงทุนราว 150 ล้านบาทในการขยายสายการผลิตที่โรงงานในจังหวัดปทุมธานี "
                    "ส่งผลให้กำลังการผลิตเพิ่มขึ้นเป็น 40,000 ถาดต่อวัน และตั้งเป้าให้รายได้จากตลาดต่างประเทศคิดเป็นร้อยละ "
                    "30 ของรายได้รวมภายในสามปี ดูรายละเอียดเพิ่มเติมได้ที่<a "
                    'href="https://example.com/siam-orchid-foods/orchid-sweet">เว็บไซต์ของบริษัท</a></p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Siam Orchid Foods launches ready-to-eat frozen Thai desserts for Malaysia and "
                    "Singapore"
                ),
                "summary": (
                    "Siam Orchid Foods has launched three halal-certified, ready-to-eat frozen Thai "
                    "desserts, which will go on sale in Malaysia and Singapore next month."
                ),
                "body_html": (
                    "<p>Siam Orchid Foods Public Company Limited, a Bangkok-based processed food "
                    "manufacturer, has launched three ready-to-eat frozen Thai desserts under the Orchid "
                    "Sweet brand: mango sticky rice, durian sticky rice, and rice-flour dumplings in "
                    "young coconut milk. All three products are halal-certified and will go on sale in "
                    "leading supermarkets in Malaysia and Singapore next month.</p>"
                    "<p>The new products are quick-frozen, a process that helps preserve the soft "
                    "texture of the sticky rice and the flavour of the fruit, so that they come close to "
                    "freshly made desserts. Consumers simply heat them in a microwave for about two "
                    "minutes, and the products keep for 12 months at -18 degrees Celsius.</p>"
                    '<p>"Thai desserts are already well known and popular with consumers across ASEAN, '
                    'but good-quality Thai desserts are still not easy to find abroad," said Pimchanok '
                    'Wongpaisan, Chief Executive Officer of Siam Orchid Foods. "So we developed products '
                    'that keep their traditional taste while being easy to transport and store."</p>'
                    "<p>The company invested around THB 150 million to expand the production line at its "
                    "factory in Pathum Thani province, raising capacity to 40,000 trays a day. It aims "
                    "for overseas markets to account for 30% of total revenue within three years. More "
                    "details are available on the <a "
                    'href="https://example.com/siam-orchid-foods/orchid-sweet">company website</a>.</p>'
                ),
                "origin": "human",
                "translated_from": "th",
                "engine": "",
                "translator": "Kanya Srisawat",
            },
            {
                "language": "ms",
                "headline": (
                    "Siam Orchid Foods melancarkan pencuci mulut Thai sejuk beku sedia dimakan untuk "
                    "pasaran Malaysia dan Singapura"
                ),
                "summary": (
                    "Siam Orchid Foods melancarkan tiga jenis pencuci mulut Thai sejuk beku sedia "
                    "dimakan yang telah mendapat pensijilan halal, dan akan mula dijual di Malaysia dan "
                    "Singapura bulan depan."
                ),
                "body_html": (
                    "<p>Siam Orchid Foods Public Company Limited, pengeluar makanan diproses yang "
                    "berpangkalan di Bangkok, melancarkan tiga jenis pencuci mulut Thai sejuk beku sedia "
                    "dimakan di bawah jenama Orchid Sweet, iaitu pulut mangga, pulut durian dan bua loy, "
                    "iaitu ladu tepung beras dalam santan kelapa muda. Kesemua produk ini telah mendapat "
                    "pensijilan halal dan akan mula dijual di pasar raya terkemuka di Malaysia dan "
                    "Singapura bulan depan.</p>"
                    "<p>Produk baharu ini dibekukan secara pantas, iaitu satu proses yang membantu "
                    "mengekalkan tekstur pulut yang lembut serta rasa buah-buahan supaya hampir sama "
                    "dengan pencuci mulut yang baru dibuat. Pengguna hanya perlu memanaskannya di dalam "
                    "ketuhar gelombang mikro selama kira-kira dua minit, dan produk ini boleh disimpan "
                    "selama 12 bulan pada suhu -18 darjah Celsius.</p>"
                    '<p>"Pencuci mulut Thai sudah terkenal dan digemari oleh pengguna di seluruh ASEAN, '
                    "tetapi pencuci mulut Thai yang berkualiti masih tidak mudah didapati di luar "
                    'negara," kata Pimchanok Wongpaisan, Ketua Pegawai Eksekutif Siam Orchid Foods. '
                    '"Oleh itu, kami membangunkan produk yang mengekalkan rasa tradisional di samping '
                    'mudah diangkut dan disimpan."</p>'
                    "<p>Syarikat itu melabur kira-kira 150 juta baht untuk mengembangkan barisan "
                    "pengeluaran di kilangnya di wilayah Pathum Thani, sekali gus meningkatkan kapasiti "
                    "kepada 40,000 dulang sehari. Syarikat itu menyasarkan pasaran luar negara "
                    "menyumbang 30 peratus daripada jumlah hasil dalam tempoh tiga tahun. Maklumat "
                    "lanjut boleh didapati di <a "
                    'href="https://example.com/siam-orchid-foods/orchid-sweet">laman web '
                    "syarikat</a>.</p>"
                ),
                "origin": "machine",
                "translated_from": "th",
                "engine": "opus-mt",
                "translator": "",
            },
        ],
    },
    {
        "key": "siam-orchid-food-expo-advisory",
        "kind": "media_advisory",
        "issuer": "siam-orchid-foods",
        "original_language": "th",
        "sectors": ["food-beverage"],
        "countries": ["TH"],
        "regions": ["asean"],
        "languages": ["th", "en"],
        "dateline": "กรุงเทพฯ",
        "contacts": [
            {
                "name": "Thanawat Boonmee",
                "organization": "Siam Orchid Foods",
                "email": "events.siamorchid@example.com",
                "phone": "+1 646 555 0156",
            },
        ],
        "state": "scheduled",
        "hours_ago": 6,
        "correction_note": "",
        "localizations": [
            {
                "language": "th",
                "headline": (
                    "ขอเชิญสื่อมวลชนร่วมงานแถลงข่าวและชิมผลิตภัณฑ์ใหม่ของสยามออร์คิด ฟู้ดส์ ในงานเจ้าพระยา ฟู้ด เอ็กซ์โป"
                ),
                "summary": (
                    "สยามออร์คิด ฟู้ดส์ ขอเชิญสื่อมวลชนร่วมงานแถลงข่าวเปิดตัวอาหารพร้อมรับประทานจากพืช "
                    "และร่วมชิมเมนูใหม่ที่บูธของบริษัทในวันเปิดงานเจ้าพระยา ฟู้ด เอ็กซ์โป"
                ),
                "body_html": (
                    "<p>บริษัท สยามออร์คิด ฟู้ดส์ จำกัด (มหาชน) "
                    "ขอเรียนเชิญสื่อมวลชนร่วมงานแถลงข่าวเปิดตัวผลิตภัณฑ์อาหารพร้อมรับประทานจากพืชกลุ่มใหม่ "
                    "ซึ่งพัฒนาขึ้นสำหรับทั้งตลาดในประเทศและตลาดส่งออก ภายในงาน ผู้บริหารจะนำเสนอแผนธุรกิจของบริษัทในปีหน้า "
                    "พร้อมเปิดโอกาสให้สื่อมวลชนร่วมชิมเมนูใหม่ก่อนวางจำหน่ายจริง</p>"
                    "<ul><li><strong>วันและเวลา:</strong> วันพฤหัสบดีซึ่งเป็นวันเปิดงาน เวลา 10.30 ถึง 12.00 น. "
                    "(เปิดลงทะเบียนเวลา 10.00 น.)</li><li><strong>สถานที่:</strong> บูธ C214 ฮอลล์ 3 "
                    "ศูนย์ประชุมริมน้ำเจ้าพระยา กรุงเทพฯ</li><li><strong>ผู้ให้สัมภาษณ์:</strong> นางสาวพิมพ์ชนก "
                    "วงศ์ไพศาล ประธานเจ้าหน้าที่บริหาร และนายธีรวัฒน์ แสงทอง "
                    "ผู้อำนวยการฝ่ายวิจัยและพัฒนาผลิตภัณฑ์</li><li><strong>กิจกรรม:</strong> "
                    "การสาธิตการปรุงอาหารโดยเชฟของบริษัท การชิมผลิตภัณฑ์ และช่วงถามตอบกับผู้บริหาร</li></ul>"
                    "<p>ผลิตภัณฑ์ที่จะเปิดตัวประกอบด้วยแกงเขียวหวานและผัดกะเพราที่ใช้โปรตีนจากถั่วเหลืองและเห็ดแทนเนื้อสัตว์ "
                    "บรรจุในบรรจุภัณฑ์ที่นำกลับมารีไซเคิลได้ "
                    "โดยบริษัทมีแผนวางจำหน่ายทั้งในร้านค้าปลีกในประเทศและส่งออกไปยังตลาดอาเซียน</p>"
                    "<p>สื่อมวลชนที่ประสงค์จะเข้าร่วมงาน กรุณาลงทะเบียนล่วงหน้าภายในวันอังคารผ่าน<a "
                    'href="https://example.com/siam-orchid-foods/media-registration">แบบฟอร์มลงทะเบียนออนไล'
                    "น์</a> หรือติดต่อฝ่ายสื่อสารองค์กรของบริษัท ผู้ลงทะเบียนจะได้รับบัตรผ่านสำหรับสื่อมวลชน "
                    "และบริษัทจะจัดเตรียมภาพถ่ายความละเอียดสูงให้ดาวน์โหลดได้หลังจบงาน</p>"
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Media invitation: Siam Orchid Foods press briefing and product tasting at Chao "
                    "Phraya Food Expo"
                ),
                "summary": (
                    "Siam Orchid Foods invites members of the media to a press briefing on its new "
                    "plant-based ready meals and a tasting of new dishes at its stand on the opening day "
                    "of Chao Phraya Food Expo."
                ),
                "body_html": (
                    "<p>Siam Orchid Foods Public Company Limited invites members of the media to a press "
                    "briefing to launch a new range of plant-based ready meals developed for both the "
                    "domestic and export markets. At the event, executives will present the company's "
                    "business plans for next year, and journalists will be able to taste the new dishes "
                    "before they go on sale.</p>"
                    "<ul><li><strong>When:</strong> Thursday, the opening day of the expo, 10:30 to "
                    "12:00 (registration opens at 10:00)</li><li><strong>Where:</strong> Stand C214, "
                    "Hall 3, Chao Phraya Riverside Convention Centre, "
                    "Bangkok</li><li><strong>Speakers:</strong> Pimchanok Wongpaisan, Chief Executive "
                    "Officer, and Teerawat Saengthong, Director of Product Research and "
                    "Development</li><li><strong>Programme:</strong> a cooking demonstration by the "
                    "company's chefs, a product tasting, and a question-and-answer session with "
                    "executives</li></ul>"
                    "<p>The new products include green curry and stir-fried holy basil dishes that use "
                    "soy and mushroom protein instead of meat, in recyclable packaging. The company "
                    "plans to sell them through domestic retailers and to export them to ASEAN "
                    "markets.</p>"
                    "<p>Journalists wishing to attend are asked to register by Tuesday using the <a "
                    'href="https://example.com/siam-orchid-foods/media-registration">online registration '
                    "form</a> or to contact the company's corporate communications team. Registered "
                    "attendees will receive a media pass, and high-resolution photographs will be "
                    "available for download after the event.</p>"
                ),
                "origin": "human",
                "translated_from": "th",
                "engine": "",
                "translator": "Natthida Srisuk",
            },
        ],
    },
    {
        "key": "regional-bus-strike",
        "kind": "third_party_article",
        "issuer": "horizon-newsdesk",
        "original_language": "en",
        "sectors": ["daily-news", "transport-logistics"],
        "countries": ["GB"],
        "regions": ["europe"],
        "languages": ["en"],
        "dateline": "MANCHESTER, United Kingdom",
        "contacts": [
            {
                "name": "Alex Morgan",
                "organization": "Horizon Newsdesk",
                "email": "newsdesk@example.org",
                "phone": "+1 202 555 0178",
            },
        ],
        "state": "published",
        "hours_ago": 2,
        "correction_note": "",
        "localizations": [
            {
                "language": "en",
                "headline": "Bus drivers at two regional operators begin 48-hour strike over pay",
                "summary": (
                    "About 1,400 drivers at two private bus operators in north-west England walked out "
                    "on Monday, halting or cutting services on around 90 routes after talks over a new "
                    "pay deal broke down."
                ),
                "body_html": (
                    "<p>Most buses in and around Manchester stayed in their depots on Monday as about "
                    "1,400 drivers employed by Northway Buses and Pennine Link began a 48-hour strike, "
                    "the first walkout at either company in more than a decade.</p>"
                    "<p>The drivers' union said its members had rejected an offer of a 4.5% pay rise for "
                    "this year, arguing that it did not keep pace with living costs or reflect the "
                    "longer shifts introduced after timetable changes last spring. Both companies said "
                    "the offer was the most they could afford while fares remained capped.</p>"
                    "<p>The regional transport authority said roughly 90 routes were either suspended or "
                    "running a reduced timetable, and advised passengers to check the <a "
                    'href="https://example.org/horizon-newsdesk/travel-updates">live travel updates</a> '
                    "before setting out. Tram and rail services were operating normally, although both "
                    "were busier than usual during the morning peak. Several schools in outlying areas "
                    "reported lower attendance.</p>"
                    "<p>Talks are expected to resume on Wednesday with the help of an independent "
                    'conciliation service. "We want to get back to the table as soon as possible," a '
                    "spokesperson for Northway Buses said. A union representative said further strike "
                    "dates could be announced if no improved offer was made by the end of the week.</p>"
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
        ],
    },
    {
        "key": "andes-ritmo-expansion",
        "kind": "press_release",
        "issuer": "andes-health",
        "original_language": "en",
        "sectors": ["healthcare", "technology"],
        "countries": ["MX", "CO", "BR"],
        "regions": ["latin-america", "north-america", "south-america"],
        "languages": ["en", "es"],
        "dateline": "SÃO PAULO, Brazil",
        "contacts": [
            {
                "name": "Camila Ribeiro",
                "organization": "Andes Health",
                "email": "imprensa.andes@example.com",
                "phone": "+1 305 555 0132",
            },
        ],
        "state": "submitted",
        "hours_ago": 0,
        "correction_note": "",
        "localizations": [
            {
                "language": "en",
                "headline": "Andes Health brings remote heart-rhythm monitoring to Mexico and Colombia",
                "summary": (
                    "Andes Health will offer its wearable heart-rhythm monitoring service through "
                    "private clinic networks in Mexico and Colombia, its first expansion outside Brazil."
                ),
                "body_html": (
                    "<p>Andes Health, a digital health company based in São Paulo, today announced that "
                    "its remote heart-rhythm monitoring service, Andes Ritmo, will become available in "
                    "Mexico and Colombia through agreements with two private clinic networks. It is the "
                    "company's first expansion outside Brazil, where more than 300 clinics use the "
                    "service.</p>"
                    "<p>The service combines a lightweight adhesive patch, worn for up to 14 days, with "
                    "software that flags irregular heart rhythms such as atrial fibrillation for review "
                    "by cardiologists. Patients wear the patch at home instead of returning to hospital "
                    "for repeat tests, and doctors receive a summary report within 48 hours of the patch "
                    "being returned.</p>"
                    '<p>"Heart-rhythm disorders often go undetected because a short test in the clinic '
                    'misses them," said Dr. Mariana Costa, Chief Medical Officer of Andes Health. '
                    '"Continuous monitoring over several days gives doctors far more information, and in '
                    "Brazil it has helped our partner clinics shorten waiting lists for cardiology "
                    'appointments."</p>'
                    "<p>The launch in both countries follows the registration of the device with the "
                    "national health regulators. Andes Health will open a regional office in Mexico City "
                    "and plans to hire around 40 people in clinical support, customer service and "
                    "engineering over the next year. More information is available on the <a "
                    'href="https://example.com/andes-health/ritmo">company website</a>.</p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "es",
                "headline": (
                    "Andes Health lleva la monitorización remota del ritmo cardiaco a México y Colombia"
                ),
                "summary": (
                    "Andes Health ofrecerá su servicio de monitorización del ritmo cardiaco con "
                    "dispositivos portátiles a través de redes de clínicas privadas en México y "
                    "Colombia, su primera expansión fuera de Brasil."
                ),
                "body_html": (
                    "<p>Andes Health, una empresa de salud digital con sede en São Paulo, anunció hoy "
                    "que su servicio de monitorización remota del ritmo cardiaco, Andes Ritmo, estará "
                    "disponible en México y Colombia mediante acuerdos con dos redes de clínicas "
                    "privadas. Se trata de la primera expansión de la empresa fuera de Brasil, donde más "
                    "de 300 clínicas utilizan el servicio.</p>"
                    "<p>El servicio combina un parche adhesivo ligero, que se lleva durante un máximo de "
                    "14 días, con un software que señala los ritmos cardiacos irregulares, como la "
                    "fibrilación auricular, para su revisión por cardiólogos. Los pacientes llevan el "
                    "parche en casa en lugar de volver al hospital para repetir las pruebas, y los "
                    "médicos reciben un informe resumido en un plazo de 48 horas tras la devolución del "
                    "parche.</p>"
                    '<p>"Los trastornos del ritmo cardiaco a menudo pasan desapercibidos porque una '
                    'prueba corta en la clínica no los detecta", afirmó la doctora Mariana Costa, '
                    'directora médica de Andes Health. "La monitorización continua durante varios días '
                    "ofrece a los médicos mucha más información y, en Brasil, ha ayudado a nuestras "
                    "clínicas asociadas a reducir las listas de espera para las consultas de "
                    'cardiología."</p>'
                    "<p>El lanzamiento en ambos países se produce tras el registro del dispositivo ante "
                    "las autoridades sanitarias nacionales. Andes Health abrirá una oficina regional en "
                    "Ciudad de México y prevé contratar a unas 40 personas en las áreas de apoyo "
                    "clínico, atención al cliente e ingeniería durante el próximo año. Más información "
                    'en el <a href="https://example.com/andes-health/ritmo">sitio web de la '
                    "empresa</a>.</p>"
                ),
                "origin": "machine",
                "translated_from": "en",
                "engine": "apertium",
                "translator": "",
            },
        ],
    },
    {
        "key": "andes-triagem-launch",
        "kind": "press_release",
        "issuer": "andes-health",
        "original_language": "pt",
        "sectors": ["healthcare", "artificial-intelligence"],
        "countries": ["BR"],
        "regions": ["latin-america", "south-america"],
        "languages": ["pt", "es", "en"],
        "dateline": "SÃO PAULO",
        "contacts": [
            {
                "name": "Lucas Ferreira",
                "organization": "Andes Health",
                "email": "imprensa.andes@example.com",
                "phone": "+1 305 555 0133",
            },
        ],
        "state": "published",
        "hours_ago": 75,
        "correction_note": "",
        "localizations": [
            {
                "language": "pt",
                "headline": (
                    "Andes Health lança ferramenta de triagem com inteligência artificial para unidades "
                    "básicas de saúde"
                ),
                "summary": (
                    "A Andes Health lançou uma ferramenta que usa inteligência artificial para ajudar "
                    "equipes de enfermagem a priorizar atendimentos em unidades básicas de saúde, após "
                    "um projeto-piloto em 12 unidades no interior de São Paulo."
                ),
                "body_html": (
                    "<p>A Andes Health, empresa de saúde digital com sede em São Paulo, anunciou hoje o "
                    "lançamento do Andes Triagem, sistema que apoia as equipes de enfermagem na "
                    "classificação de risco de pacientes em unidades básicas de saúde. A ferramenta "
                    "reúne sintomas relatados, sinais vitais e histórico clínico e sugere um nível de "
                    "prioridade, que é sempre confirmado ou ajustado por um profissional de saúde.</p>"
                    "<p>Durante um projeto-piloto de seis meses em 12 unidades de saúde de municípios do "
                    "interior paulista, o tempo médio entre a chegada do paciente e a classificação de "
                    "risco caiu de 22 para 9 minutos. As equipes também passaram a identificar mais cedo "
                    "os casos que exigiam encaminhamento para serviços de urgência.</p>"
                    '<p>"A decisão continua nas mãos dos profissionais. O que a ferramenta faz é '
                    "organizar as informações e chamar a atenção para sinais de alerta que podem passar "
                    'despercebidos em um dia de grande movimento", afirmou Rafael Monteiro, '
                    "diretor-executivo da Andes Health.</p>"
                    "<p>O sistema funciona nos computadores e tablets já utilizados nas unidades, "
                    "inclusive com conexão instável à internet, e os dados dos pacientes são tratados de "
                    "acordo com a Lei Geral de Proteção de Dados (LGPD). A empresa oferecerá o Andes "
                    "Triagem a prefeituras e consórcios de saúde a partir deste mês. Mais informações "
                    'estão disponíveis no <a href="https://example.com/andes-health/triagem">site da '
                    "empresa</a>.</p>"
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "es",
                "headline": (
                    "Andes Health lanza una herramienta de triaje con inteligencia artificial para "
                    "centros de atención primaria"
                ),
                "summary": (
                    "Andes Health lanzó una herramienta que utiliza inteligencia artificial para ayudar "
                    "a los equipos de enfermería a priorizar la atención en centros de atención "
                    "primaria, tras un proyecto piloto en 12 centros del interior del estado de São "
                    "Paulo."
                ),
                "body_html": (
                    "<p>Andes Health, empresa de salud digital con sede en São Paulo, anunció hoy el "
                    "lanzamiento de Andes Triagem, un sistema que apoya a los equipos de enfermería en "
                    "la clasificación de riesgo de los pacientes en los centros de atención primaria. La "
                    "herramienta reúne los síntomas referidos, los signos vitales y el historial "
                    "clínico, y sugiere un nivel de prioridad que siempre confirma o ajusta un "
                    "profesional de la salud.</p>"
                    "<p>Durante un proyecto piloto de seis meses en 12 centros de salud de municipios "
                    "del interior del estado de São Paulo, el tiempo medio entre la llegada del paciente "
                    "y la clasificación de riesgo se redujo de 22 a 9 minutos. Los equipos también "
                    "empezaron a identificar antes los casos que requerían derivación a servicios de "
                    "urgencias.</p>"
                    '<p>"La decisión sigue en manos de los profesionales. Lo que hace la herramienta es '
                    "organizar la información y llamar la atención sobre señales de alerta que pueden "
                    'pasar desapercibidas en un día de mucha actividad", afirmó Rafael Monteiro, '
                    "director ejecutivo de Andes Health.</p>"
                    "<p>El sistema funciona en las computadoras y tabletas que ya se utilizan en los "
                    "centros, incluso con conexiones a internet inestables, y los datos de los pacientes "
                    "se tratan de acuerdo con la Ley General de Protección de Datos de Brasil (LGPD). La "
                    "empresa ofrecerá Andes Triagem a gobiernos municipales y consorcios de salud a "
                    "partir de este mes. Más información en el <a "
                    'href="https://example.com/andes-health/triagem">sitio web de la empresa</a>.</p>'
                ),
                "origin": "machine",
                "translated_from": "pt",
                "engine": "apertium",
                "translator": "",
            },
            {
                "language": "en",
                "headline": "Andes Health launches AI-assisted triage tool for primary care clinics",
                "summary": (
                    "Andes Health has launched a tool that uses artificial intelligence to help nursing "
                    "teams prioritise patients in primary care clinics, following a pilot project at 12 "
                    "clinics in the interior of São Paulo state."
                ),
                "body_html": (
                    "<p>Andes Health, a digital health company based in São Paulo, today announced the "
                    "launch of Andes Triagem, a system that supports nursing teams in assessing patient "
                    "risk at primary care clinics. The tool brings together reported symptoms, vital "
                    "signs and medical history and suggests a priority level, which is always confirmed "
                    "or adjusted by a health professional.</p>"
                    "<p>During a six-month pilot at 12 clinics in towns in the interior of São Paulo "
                    "state, the average time between a patient's arrival and risk assessment fell from "
                    "22 to 9 minutes. The teams also began to identify cases that needed referral to "
                    "emergency services earlier.</p>"
                    '<p>"The decision remains in the hands of health professionals. What the tool does '
                    "is organise the information and draw attention to warning signs that can be missed "
                    'on a busy day," said Rafael Monteiro, Chief Executive Officer of Andes Health.</p>'
                    "<p>The system runs on the computers and tablets already used in the clinics, "
                    "including where internet connections are unstable, and patient data is processed in "
                    "accordance with Brazil's General Data Protection Law (LGPD). The company will offer "
                    "Andes Triagem to municipal governments and public health consortia from this month. "
                    "More information is available on the <a "
                    'href="https://example.com/andes-health/triagem">company website</a>.</p>'
                ),
                "origin": "human",
                "translated_from": "pt",
                "engine": "",
                "translator": "Helena Rocha",
            },
        ],
    },
    {
        "key": "sakura-sr-f7-launch",
        "kind": "press_release",
        "issuer": "sakura-robotics",
        "original_language": "ja",
        "sectors": ["technology", "food-beverage", "artificial-intelligence"],
        "countries": ["JP"],
        "regions": ["asia"],
        "languages": ["ja", "en"],
        "dateline": "大阪",
        "contacts": [
            {
                "name": "Haruka Sato",
                "organization": "Sakura Robotics",
                "email": "pr.sakura@example.com",
                "phone": "+1 312 555 0165",
            },
        ],
        "state": "published",
        "hours_ago": 120,
        "correction_note": "",
        "localizations": [
            {
                "language": "ja",
                "headline": "サクラロボティクス、丸洗いできる食品工場向け協働ロボット「SR-F7」を発売",
                "summary": (
                    "サクラロボティクス株式会社は、水で丸洗いでき、弁当や総菜の盛り付け作業を自動化する食"
                    "品工場向け協働ロボット「SR-F7」を来月から発売します。"
                ),
                "body_html": (
                    "<p>産業用ロボットメーカーのサクラロボティクス株式会社（本社：大阪市）は、食品工場向"
                    "けの協働ロボット「SR-F7」を開発し、来月から国内で販売を開始します。弁当や総菜の盛り"
                    "付け、トレーへの整列など、これまで人手に頼ることの多かった工程の自動化を支援します。"
                    "</p>"
                    "<p>SR-F7は、本体を防水・防じん等級IP67に対応させ、作業終了後に温水や洗剤で丸洗いでき"
                    "る構造としました。食品に触れるハンドは工具を使わずに取り外して洗浄でき、衛生管理にか"
                    "かる時間を当社従来機に比べて約4割短縮できます。また、人と並んで作業できるよう、接触"
                    "を検知すると自動で停止する安全機能を備えています。</p>"
                    "<p>可搬重量は7キログラムです。カメラと画像認識ソフトウェアを組み合わせることで、唐揚"
                    "げや煮物など形や大きさが一定でない食品も崩さずにつかむことができます。設置面積は既存"
                    "の作業台1台分に収まるため、生産ラインを大きく変更せずに導入できます。</p>"
                    "<p>代表取締役社長の中村美穂は「食品業界では人手不足が深刻になっており、特に早朝や深"
                    "夜の盛り付け作業では担い手の確保が難しくなっています。SR-F7は、衛生面の不安を減らし"
                    "ながら、従業員の皆さまがより付加価値の高い仕事に集中できる環境づくりに役立つと考えて"
                    "います」と述べています。</p>"
                    "<p>希望小売価格は1台あたり680万円（税別）で、初年度300台の販売を目指します。詳細は<a"
                    ' href="https://example.com/sakura-robotics/sr-f7">製品ページ</a>をご覧ください。</p>'
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Sakura Robotics launches SR-F7, a fully washable collaborative robot for food "
                    "factories"
                ),
                "summary": (
                    "Sakura Robotics will begin selling SR-F7 next month, a collaborative robot for food "
                    "factories that can be washed down with water and automates the portioning of boxed "
                    "meals and side dishes."
                ),
                "body_html": (
                    "<p>Industrial robot maker Sakura Robotics Co., Ltd., headquartered in Osaka, has "
                    "developed SR-F7, a collaborative robot for food factories, and will begin selling "
                    "it in Japan next month. The robot helps automate tasks that have largely relied on "
                    "manual labour, such as portioning boxed meals and side dishes and lining them up on "
                    "trays.</p>"
                    "<p>The body of SR-F7 is rated IP67 for water and dust resistance and is built so "
                    "that it can be washed down with warm water and detergent at the end of a shift. The "
                    "gripper that touches food can be removed for cleaning without tools, cutting the "
                    "time spent on hygiene by about 40% compared with the company's previous models. A "
                    "safety function stops the robot automatically when it detects contact, allowing it "
                    "to work alongside people.</p>"
                    "<p>The robot has a payload of 7 kilograms. By combining a camera with "
                    "image-recognition software, it can pick up foods of irregular shape and size, such "
                    "as fried chicken and simmered dishes, without breaking them. It fits within the "
                    "footprint of a single existing workbench, so it can be installed without major "
                    "changes to the production line.</p>"
                    '<p>"Labour shortages are becoming serious in the food industry, and it is '
                    'especially hard to find staff for early-morning and late-night portioning work," '
                    'said Miho Nakamura, President and Representative Director. "We believe SR-F7 will '
                    "help create an environment in which employees can focus on higher-value work while "
                    'reducing concerns about hygiene."</p>'
                    "<p>The suggested retail price is JPY 6.8 million per unit, excluding tax, and the "
                    "company aims to sell 300 units in the first year. Details are available on the <a "
                    'href="https://example.com/sakura-robotics/sr-f7">product page</a>.</p>'
                ),
                "origin": "human",
                "translated_from": "ja",
                "engine": "",
                "translator": "Emily Carter",
            },
        ],
    },
    {
        "key": "nordlicht-battery-swap-berlin",
        "kind": "press_release",
        "issuer": "nordlicht-mobility",
        "original_language": "de",
        "sectors": ["transport-logistics", "environment-sustainability"],
        "countries": ["DE", "AT"],
        "regions": ["dach", "eu"],
        "languages": ["de", "en"],
        "dateline": "BERLIN",
        "contacts": [
            {
                "name": "Felix Hartmann",
                "organization": "Nordlicht Mobility GmbH",
                "email": "presse.nordlicht@example.com",
                "phone": "+1 617 555 0108",
            },
        ],
        "state": "in_review",
        "hours_ago": 0,
        "correction_note": "",
        "localizations": [
            {
                "language": "de",
                "headline": (
                    "Nordlicht Mobility startet Akkutausch-Netz für gewerbliche E-Lastenräder in Berlin"
                ),
                "summary": (
                    "Nordlicht Mobility hat in Berlin 40 Stationen in Betrieb genommen, an denen Kurier- "
                    "und Lieferdienste leere Akkus ihrer E-Lastenräder in weniger als einer Minute gegen "
                    "geladene tauschen können."
                ),
                "body_html": (
                    "<p>Die Nordlicht Mobility GmbH hat in Berlin ein Netz aus 40 Akkutauschstationen "
                    "für gewerblich genutzte E-Lastenräder in Betrieb genommen. Kurier-, Paket- und "
                    "Lebensmittellieferdienste können dort leere Akkus in weniger als einer Minute gegen "
                    "vollständig geladene austauschen, statt ihre Fahrzeuge über Stunden an der "
                    "Steckdose laden zu müssen.</p>"
                    "<p>Die Stationen stehen zunächst in den Bezirken Mitte, Friedrichshain-Kreuzberg, "
                    "Neukölln und Pankow, überwiegend auf Parkplätzen von Supermärkten und in "
                    "Parkhäusern. Jede Station fasst 16 Akkus und wird ausschließlich mit Ökostrom "
                    "betrieben. Über eine App sehen Fahrerinnen und Fahrer, wo gerade geladene Akkus "
                    "verfügbar sind, und können diese für bis zu 15 Minuten reservieren.</p>"
                    "<p>„Für viele Lieferdienste ist heute die Reichweite der Lastenräder der Engpass, "
                    "nicht das Fahrzeug selbst“, sagt Jana Becker, Geschäftsführerin von Nordlicht "
                    "Mobility. „Mit dem Akkutausch bleibt ein Rad eine ganze Schicht lang im Einsatz. "
                    "Das macht den Umstieg vom Transporter auf das Lastenrad für deutlich mehr "
                    "Unternehmen wirtschaftlich.“</p>"
                    "<p>Das System ist mit den Akkus von fünf gängigen Lastenradherstellern kompatibel. "
                    "Gewerbliche Kunden zahlen eine monatliche Pauschale ab 89 Euro pro Fahrzeug, in der "
                    "beliebig viele Tauschvorgänge enthalten sind. Bis Ende des kommenden Jahres will "
                    "Nordlicht Mobility das Berliner Netz auf 150 Stationen ausbauen und erste Standorte "
                    "in Hamburg und Wien eröffnen. Weitere Informationen gibt es auf der <a "
                    'href="https://example.com/nordlicht-mobility/akkutausch">Website des '
                    "Unternehmens</a>.</p>"
                ),
                "origin": "author",
                "translated_from": None,
                "engine": "",
                "translator": "",
            },
            {
                "language": "en",
                "headline": (
                    "Nordlicht Mobility launches battery-swap network for commercial e-cargo bikes in "
                    "Berlin"
                ),
                "summary": (
                    "Nordlicht Mobility has opened 40 stations in Berlin where courier and delivery "
                    "services can swap the empty batteries of their e-cargo bikes for charged ones in "
                    "less than a minute."
                ),
                "body_html": (
                    "<p>Nordlicht Mobility GmbH has put into operation a network of 40 battery-swap "
                    "stations in Berlin for commercially used e-cargo bikes. Courier, parcel and grocery "
                    "delivery services can exchange empty batteries there for fully charged ones in less "
                    "than a minute, instead of having to charge their vehicles at a socket for hours.</p>"
                    "<p>The stations are initially located in the districts of Mitte, "
                    "Friedrichshain-Kreuzberg, Neukölln and Pankow, mostly in supermarket car parks and "
                    "multi-storey car parks. Each station holds 16 batteries and runs entirely on green "
                    "electricity. Through an app, riders can see where charged batteries are currently "
                    "available and reserve them for up to 15 minutes.</p>"
                    '<p>"For many delivery services, the range of cargo bikes is the bottleneck today, '
                    'not the vehicle itself," said Jana Becker, Managing Director of Nordlicht Mobility. '
                    '"With battery swapping, a bike stays in service for an entire shift. That makes '
                    'switching from vans to cargo bikes economically viable for many more companies."</p>'
                    "<p>The system is compatible with the batteries of five common cargo-bike "
                    "manufacturers. Business customers pay a monthly flat fee starting at EUR 89 per "
                    "vehicle, which covers an unlimited number of swaps. By the end of next year, "
                    "Nordlicht Mobility plans to expand the Berlin network to 150 stations and open its "
                    "first locations in Hamburg and Vienna. Further information is available on the <a "
                    'href="https://example.com/nordlicht-mobility/akkutausch">company website</a>.</p>'
                ),
                "origin": "human",
                "translated_from": "de",
                "engine": "",
                "translator": "Katrin Vogel",
            },
        ],
    },
)
