#!/usr/bin/env python3
"""Writes tests/data/lookalike_attacks.tsv and tests/data/lookalike_benign.tsv.

Attacks: hand-written rows of shapes named in public Vietnamese warnings (police, banks, the
Cục An toàn thông tin weekly alerts, press reports), then generated rows that apply those same
shapes (brand + Vietnamese keyword + cheap TLD, real domain as a subdomain, dashes for dots,
look-alike letters, one-letter typos) to each target. Benign: hand-written real hosts, plus
real service subdomains of the targets and of public bodies (www., m., portal. …).
Run from the repository root: python3 scripts/gen-lookalike-cases.py
"""
import random

random.seed(4)

# --- attacks: url, imitated target, note --------------------------------------------------
SEED = [
    ("https://dichvucong.gov.vn.xacminh-cutru.top/", "dichvucong.gov.vn", "portal host as subdomain (issue 4)"),
    ("https://vietcombank.com.vn-hc.info/", "vietcombank.com.vn", "bank host glued with a dash (issue 4)"),
    ("https://dich-vu-cong.gov-vn.top/", "dichvucong.gov.vn", "dashes for dots (issue 4)"),
    ("https://chplay-vn.top/store/apps/details?id=vn.gov.bocongan.vneid", "play.google.com", "fake CH Play (issue 4; DomainTools 2025 shape)"),
    ("https://zaloweb.pro/", "zalo.me", "Zalo combo (issue 4)"),
    ("https://facebook-dangnhap.com/", "facebook.com", "Facebook login combo (issue 4)"),
    ("https://taiapp-vneid.online/", "vneid.gov.vn", "VNeID app download combo (issue 4)"),
    ("https://" + "vietcombạnk.com".encode("idna").decode() + "/", "vietcombank.com.vn", "vietcombạnk.com dot-below letter (issue 4)"),
    ("https://dichvucongs.top/vn", "dichvucong.gov.vn", "Phòng CSGT Công an TPHCM warning, 2025 (fine-payment SMS)"),
    ("https://dichvucongbaohiemxahoi.com/", "baohiemxahoi.gov.vn", "BHXH Việt Nam warning, 2023"),
    ("https://viet.lgovn.cc/", "dichvucong.gov.vn", "Công an TP Hà Nội warning: fake public-service app link"),
    ("https://sbvhn.com/", "sbv.gov.vn", "SBV warning 2025: fake State Bank portal"),
    ("https://vneid-gov.top/", "vneid.gov.vn", "VNeID with gov on another TLD"),
    ("https://dichvucong-gov.vn/", "dichvucong.gov.vn", "hyphenated portal name under .vn"),
    ("https://vietcombank-vn.top/", "vietcombank.com.vn", "Vietcombank warning shape"),
    ("https://bidv-smartbanking.top/", "bidv.com.vn", "Cục ATTT weekly alert shape"),
    ("https://thuedientu-gdt.top/", "thuedientu.gdt.gov.vn", "fake eTax portal (tienphong.vn 2023 shape)"),
    ("https://vssid-baohiemxahoi.top/", "baohiemxahoi.gov.vn", "fake VssID (Cục ATTT 2024 shape)"),
    ("https://play.google.com.app-vn.top/", "play.google.com", "fake Play page host"),
    ("https://play.appgoogle.cc/vneid", "play.google.com", "look-alike store"),
    ("http://apps.apple.com.ios-vn.xyz/app/vneid", "apps.apple.com", "App Store host as subdomain"),
    ("https://playgoogle.store/app/dichvucong", "play.google.com", "brand in another TLD"),
    ("https://zalo-me.top/0912345678", "zalo.me", "Zalo lookalike"),
    ("https://facebook.com-xacminh.top/", "facebook.com", "Facebook with a hyphenated suffix"),
    ("https://dichvucong-gov-vn.web.app/", "dichvucong.gov.vn", "portal name on free hosting"),
    ("https://" + "dịchvụcông.vn".encode("idna").decode() + "/", "dichvucong.gov.vn", "dịchvụcông.vn in punycode"),
    ("https://csgt-phatnguoi.top/", "csgt.vn", "fake traffic-fine lookup (phạt nguội SMS reports)"),
    ("https://tracuuphatnguoi-vn.com/", "csgt.vn", "fake fine lookup"),
    ("https://evn-hcmc.online/", "evn.com.vn", "EVN electricity-bill scam shape"),
    ("https://momo-nhanthuong.top/", "momo.vn", "MoMo reward scam shape"),
    ("https://vcb-digibank.top/", "vietcombank.com.vn", "VCB Digibank shape"),
    ("https://agribank-ebanking.xyz/", "agribank.com.vn", "Agribank e-banking shape"),
    ("https://techcombank-hotro.com/", "techcombank.com", "Techcombank support shape"),
    ("https://vietinbank-ipay.top/", "vietinbank.vn", "VietinBank iPay shape"),
    ("https://mbbank-xacthuc.online/", "mbbank.com.vn", "MB authentication shape"),
    ("https://tpbank-capnhat.vip/", "tpbank.vn", "TPBank update shape"),
    ("https://vpbank-khachhang.top/", "vpbank.com.vn", "VPBank customer shape"),
    ("https://sacombank-cskh.com/", "sacombank.com.vn", "Sacombank care shape"),
    ("https://acb-online.top/", "acb.com.vn", "ACB online shape"),
    ("https://canhanthue.top/", "thuedientu.gdt.gov.vn", "fake personal-tax app"),
    ("https://dvcquocgia.top/", "dichvucong.gov.vn", "fake national portal"),
    ("https://bocongan-gov.vn.tk/", "bocongan.gov.vn", "ministry name with gov"),
    ("https://cancuoc-congdan.online/", "vneid.gov.vn", "citizen-ID scam shape"),
    ("https://dinhdanh-dientu.top/", "vneid.gov.vn", "electronic-ID level 2 scam shape"),
    ("https://tiktok-shop-vn.top/", "tiktok.com", "TikTok shop scam shape"),
    ("https://telegram-vn.top/", "telegram.org", "Telegram download scam shape"),
    ("https://appleid-xacminh.com/", "apps.apple.com", "Apple ID verification scam shape"),
    ("https://icloud-unlock.top/", "apps.apple.com", "iCloud unlock scam shape"),
    ("https://messenger-vn.online/", "messenger.com", "Messenger scam shape"),
    ("https://zalopay-hoantien.top/", "zalopay.vn", "ZaloPay refund shape"),
    ("https://vnpay-qr.top/", "vnpay.vn", "VNPAY QR shape"),
    ("https://viettelmoney-uudai.top/", "viettelmoney.vn", "Viettel Money offer shape"),
    ("http://45.76.12.9/vietcombank/login", "vietcombank.com.vn", "brand in the path of a bare IP"),
    ("https://" + "viẹtinbank.com".encode("idna").decode() + "/", "vietinbank.vn", "viẹtinbank.com dot-below"),
    ("https://" + "zalọ.vn".encode("idna").decode() + "/", "zalo.me", "zalọ.vn"),
    ("https://" + "fаcebook.com".encode("idna").decode() + "/", "facebook.com", "fаcebook.com with Cyrillic a"),
    ("https://" + "аpple.com".encode("idna").decode() + "/", "apps.apple.com", "аpple.com with Cyrillic a"),
    ("https://vietcornbank.com/", "vietcombank.com.vn", "rn for m"),
    ("https://faceb00k-login.com/", "facebook.com", "zeros for o"),
    ("https://agrlbank.com.vn/", "agribank.com.vn", "l for i"),
]

# Written after the detector was tuned and kept as they came out (a small held-out check).
HELD_OUT = [
    ("https://vietcombank.vn-login.cc/", "vietcombank.com.vn"),
    ("https://vcb.com.vn-xacthuc.top/", "vietcombank.com.vn"),
    ("https://dichvucong-bocongan.site/", "dichvucong.gov.vn"),
    ("https://cong-dich-vu-cong.vip/", "dichvucong.gov.vn"),
    ("https://nopphatnguoi.top/", "csgt.vn"),
    ("https://vneid.info/", "vneid.gov.vn"),
    ("https://baohiem-xahoi.top/", "baohiemxahoi.gov.vn"),
    ("https://bhxh-vn.com/", "baohiemxahoi.gov.vn"),
    ("https://chinhphu.gov-vn.cc/", "chinhphu.vn"),
    ("https://hotro-zalo.com/", "zalo.me"),
    ("https://zalo.vn-login.top/", "zalo.me"),
    ("https://faceb0ok.com.vn/", "facebook.com"),
    ("https://fb-hotro.com/", "facebook.com"),
    ("https://meta-support-vn.com/", "facebook.com"),
    ("https://appleid.apple.com.xacminh.top/", "apps.apple.com"),
    ("https://googleplay-vn.com/", "play.google.com"),
    ("https://ch-play.top/", "play.google.com"),
    ("https://ch-play-store.app/", "play.google.com"),
    ("https://tai-app-vneid.online/", "vneid.gov.vn"),
    ("https://vietinbankipay.top/", "vietinbank.vn"),
    ("https://agribank.com.vn.info/", "agribank.com.vn"),
    ("https://mbbank-vn.com/", "mbbank.com.vn"),
    ("https://momo.vn.hotro.top/", "momo.vn"),
    ("https://thuedientu.gdt.gov.vn.kekhai.top/", "thuedientu.gdt.gov.vn"),
    ("https://etax-gdt.top/", "thuedientu.gdt.gov.vn"),
    ("https://canhan-thue.top/", "thuedientu.gdt.gov.vn"),
    ("https://vssid.app/", "baohiemxahoi.gov.vn"),
    ("https://bocongan.online/", "bocongan.gov.vn"),
    ("https://congan-hanoi.top/", "bocongan.gov.vn"),
    ("https://vn-eid.top/", "vneid.gov.vn"),
]

KEYWORDS = ["vn", "app", "online", "login", "dangnhap", "xacthuc", "xacminh", "capnhat", "hotro",
            "taive", "caidat", "cskh", "khachhang", "uudai", "nhanthuong", "web", "verify", "secure",
            "support", "tai", "kichhoat", "baomat", "mienphi", "hoantien", "vip", "id", "2025", "24h"]
DASHED = {"dangnhap": "dang-nhap", "xacthuc": "xac-thuc", "xacminh": "xac-minh", "capnhat": "cap-nhat",
          "hotro": "ho-tro", "caidat": "cai-dat", "khachhang": "khach-hang", "kichhoat": "kich-hoat"}
TLDS = ["top", "xyz", "cc", "online", "site", "vip", "shop", "club", "info", "com", "net", "live", "icu", "buzz", "pro", "link", "asia", "me", "org", "app"]
CHEAP = ["top", "xyz", "cc", "online", "site", "vip", "shop", "club", "icu", "buzz", "live"]
FREE = ["web.app", "vercel.app", "netlify.app", "github.io", "pages.dev", "firebaseapp.com", "weebly.com", "blogspot.com"]

# brand word, target, the real host to embed
BRANDS = [
    ("chplay", "play.google.com", "play.google.com"), ("googleplay", "play.google.com", "play.google.com"),
    ("appstore", "apps.apple.com", "apps.apple.com"), ("icloud", "apps.apple.com", "www.icloud.com"),
    ("zalo", "zalo.me", "chat.zalo.me"), ("facebook", "facebook.com", "www.facebook.com"),
    ("messenger", "messenger.com", "www.messenger.com"), ("telegram", "telegram.org", "web.telegram.org"),
    ("tiktok", "tiktok.com", "www.tiktok.com"), ("dichvucong", "dichvucong.gov.vn", "dichvucong.gov.vn"),
    ("vneid", "vneid.gov.vn", "vneid.gov.vn"), ("vssid", "baohiemxahoi.gov.vn", "baohiemxahoi.gov.vn"),
    ("baohiemxahoi", "baohiemxahoi.gov.vn", "baohiemxahoi.gov.vn"), ("chinhphu", "chinhphu.vn", "chinhphu.vn"),
    ("bocongan", "bocongan.gov.vn", "bocongan.gov.vn"), ("thuedientu", "thuedientu.gdt.gov.vn", "thuedientu.gdt.gov.vn"),
    ("vietcombank", "vietcombank.com.vn", "vietcombank.com.vn"), ("vietinbank", "vietinbank.vn", "vietinbank.vn"),
    ("bidv", "bidv.com.vn", "bidv.com.vn"), ("agribank", "agribank.com.vn", "agribank.com.vn"),
    ("techcombank", "techcombank.com", "techcombank.com"), ("mbbank", "mbbank.com.vn", "mbbank.com.vn"),
    ("vpbank", "vpbank.com.vn", "vpbank.com.vn"), ("tpbank", "tpbank.vn", "tpbank.vn"),
    ("sacombank", "sacombank.com.vn", "sacombank.com.vn"), ("momo", "momo.vn", "momo.vn"),
    ("zalopay", "zalopay.vn", "zalopay.vn"), ("vnpay", "vnpay.vn", "vnpay.vn"),
    ("viettelmoney", "viettelmoney.vn", "viettelmoney.vn"), ("hdbank", "hdbank.com.vn", "hdbank.com.vn"),
    ("seabank", "seabank.com.vn", "seabank.com.vn"), ("eximbank", "eximbank.com.vn", "eximbank.com.vn"),
]
VI_LOOK = {"a": "ạ", "o": "ọ", "e": "ẹ", "i": "ị", "u": "ụ"}

def idn(host):
    return host.encode("idna").decode()

rows = [(u, t, "reported shape: " + n) for u, t, n in SEED]
rows += [(u, t, "held-out shape written after tuning") for u, t in HELD_OUT]
for word, target, real in BRANDS:
    kw = random.sample(KEYWORDS, 6)
    tl = random.sample(TLDS, 8)
    k0 = DASHED.get(kw[0], kw[0])
    rows.append((f"https://{word}-{k0}.{tl[0]}/", target, "generated: brand-keyword on a cheap TLD"))
    rows.append((f"https://{kw[1]}-{word}.{tl[1]}/", target, "generated: keyword-brand"))
    rows.append((f"https://{word}{kw[2]}.{tl[2]}/", target, "generated: brand glued to a keyword"))
    rows.append((f"https://{real}.{kw[3]}-{word[:3]}.{tl[3]}/", target, "generated: real host as a subdomain"))
    rows.append((f"https://{real.replace('.', '-')}.{tl[4]}/", target, "generated: dashes for dots"))
    rows.append((f"https://{word}.{random.choice(FREE)}/", target, "generated: brand on free hosting"))
    rows.append((f"https://{word}-{kw[4]}.{random.choice(FREE)}/", target, "generated: brand-keyword on free hosting"))
    rows.append((f"https://{word}.{random.choice(CHEAP)}/", target, "generated: bare brand on a cheap TLD"))
    rows.append((f"https://{real}-{kw[5]}.{tl[6]}/login", target, "generated: real host glued with a dash"))
    # One Vietnamese dot-below letter in the brand (the vietcombạnk.com shape).
    vowels = [i for i, c in enumerate(word) if c in VI_LOOK]
    if vowels:
        i = random.choice(vowels)
        fake = word[:i] + VI_LOOK[word[i]] + word[i + 1:]
        rows.append((f"https://{idn(fake + '.' + tl[7])}/", target, f"generated: {fake}.{tl[7]} look-alike letter"))
    # Cyrillic а/о/е in place of a Latin one.
    cyr = {"a": "а", "o": "о", "e": "е"}
    ci = [i for i, c in enumerate(word) if c in cyr]
    if ci:
        i = ci[-1]
        fake = word[:i] + cyr[word[i]] + word[i + 1:]
        rows.append((f"https://{idn(fake + '.com')}/", target, "generated: Cyrillic letter (mixed script)"))
    # Typos on long words: swap, double, drop, digit.
    if len(word) >= 7:
        j = random.randrange(1, len(word) - 2)
        rows.append((f"https://{word[:j] + word[j+1] + word[j] + word[j+2:]}.com/", target, "generated: adjacent swap"))
        rows.append((f"https://{word[:j] + word[j] + word[j:]}-vn.com/", target, "generated: doubled letter plus keyword"))
        rows.append((f"https://{word[:j] + word[j+1:]}.net/", target, "generated: dropped letter"))
    if "o" in word:
        rows.append((f"https://{word.replace('o', '0', 1)}.com/", target, "generated: zero for o"))
    # Brand as a subdomain of an unrelated domain on a cheap TLD.
    rows.append((f"https://{word}.{random.choice(['xacminh', 'dvc', 'hotro', 'portal', 'app'])}{random.randint(1, 99)}.{tl[0]}/", target, "generated: brand as a subdomain"))
for gov in ["hanoi", "hochiminhcity", "danang", "daklak", "haiphong", "cantho", "nghean", "thanhhoa", "quangninh", "binhduong"]:
    rows.append((f"https://{gov}.gov.vn.{random.choice(['xac-minh', 'dvc', 'cong-dich-vu'])}.{random.choice(TLDS)}/", "dichvucong.gov.vn", "generated: province portal as a subdomain"))
    rows.append((f"https://dichvucong-{gov}.gov-vn.{random.choice(TLDS)}/", "dichvucong.gov.vn", "generated: province portal with gov-vn"))
    rows.append((f"https://{gov}-govvn.{random.choice(TLDS)}/", "dichvucong.gov.vn", "generated: govvn outside gov.vn"))

with open("tests/data/lookalike_attacks.tsv", "w") as f:
    f.write("# Impersonation cases: url<TAB>imitated target<TAB>source or note.\n")
    f.write("# The first rows are shapes named in public warnings; rows marked 'generated' apply those\n")
    f.write("# shapes to each target (scripts/gen-lookalike-cases.py, fixed seed).\n")
    seen = set()
    for u, t, n in rows:
        if u not in seen:
            seen.add(u)
            f.write(f"{u}\t{t}\t{n}\n")
print(len(seen), "attacks")

# --- benign: real hosts -------------------------------------------------------------------
# Popular Vietnamese sites, banks, wallets, public bodies, universities, international sites
# and real IDN sites, written from knowledge of the Vietnamese web; then the usual service
# subdomains of each (www, m, portal …), which these organisations do run.
VN_SITES = """vnexpress.net dantri.com.vn tuoitre.vn thanhnien.vn vietnamnet.vn zingnews.vn znews.vn
24h.com.vn kenh14.vn cafef.vn cafebiz.vn vietnamplus.vn nhandan.vn qdnd.vn cand.com.vn
laodong.vn tienphong.vn nld.com.vn baomoi.com soha.vn genk.vn vtv.vn vov.vn vtc.vn
baochinhphu.vn plo.vn sggp.org.vn hanoimoi.vn vneconomy.vn vietstock.vn vnmedia.vn
tinhte.vn voz.vn thegioididong.com dienmayxanh.com fptshop.com.vn cellphones.com.vn
tiki.vn shopee.vn lazada.vn sendo.vn bachhoaxanh.com nguyenkim.com hoanghamobile.com
phongvu.vn gearvn.com fpt.com.vn fpt.vn fpt.edu.vn vng.com.vn zing.vn zingmp3.vn
nhaccuatui.com fptplay.vn vieon.vn tv360.vn galaxyplay.vn vnpt.vn vnpt.com.vn
viettel.vn viettel.com.vn vietteltelecom.vn viettelpost.com.vn vietel.com.vn mobifone.vn
vinaphone.com.vn vietnamobile.com.vn grab.com be.com.vn gojek.com xanhsm.com
vietjetair.com vietnamairlines.com bambooairways.com vntrip.vn traveloka.com mytour.vn
batdongsan.com.vn chotot.com nhatot.com muaban.net topcv.vn vietnamworks.com careerviet.vn
vinhomes.vn vingroup.net vinfastauto.com vinmec.com vinschool.edu.vn masangroup.com
vinamilk.com.vn thaco.com.vn hoaphat.com.vn petrolimex.com.vn pvn.vn evn.com.vn
evnhcmc.vn evnhanoi.vn evnspc.vn evncpc.vn evnnpc.vn sawaco.com.vn vnpost.vn
vietcombank.com.vn vietinbank.vn bidv.com.vn agribank.com.vn techcombank.com
techcombank.com.vn mbbank.com.vn acb.com.vn vpbank.com.vn tpb.vn tpbank.vn
sacombank.com.vn hdbank.com.vn vib.com.vn shb.com.vn seabank.com.vn eximbank.com.vn
lpbank.com.vn ocb.com.vn msb.com.vn abbank.com.vn namabank.com.vn bacabank.com.vn
pvcombank.com.vn kienlongbank.com vietabank.com.vn baovietbank.vn ncb-bank.vn
pgbank.com.vn saigonbank.com.vn vietbank.com.vn bvbank.net.vn cbbank.vn oceanbank.vn
gpbank.com.vn sbv.gov.vn momo.vn zalopay.vn vnpay.vn viettelmoney.vn shopeepay.vn
payoo.vn moca.vn onepay.vn napas.com.vn vnptmoney.vn cake.vn timo.vn
ssi.com.vn vndirect.com.vn hsc.com.vn vps.com.vn tcbs.com.vn mbs.com.vn fireant.vn
cafeland.vn baoviet.com.vn prudential.com.vn manulife.com.vn bic.vn pvi.com.vn
zalo.me zaloapp.com zalo.vn facebook.com messenger.com tiktok.com telegram.org
apple.com icloud.com google.com google.com.vn youtube.com
hcmus.edu.vn hust.edu.vn vnu.edu.vn hcmut.edu.vn ueh.edu.vn neu.edu.vn ftu.edu.vn
uit.edu.vn ptit.edu.vn tdtu.edu.vn hcmue.edu.vn hnue.edu.vn ctu.edu.vn hue.edu.vn
ued.udn.vn dut.udn.vn vnuhcm.edu.vn hanu.edu.vn tlu.edu.vn hvtc.edu.vn ulaw.edu.vn
hmu.edu.vn ump.edu.vn vinuni.edu.vn rmit.edu.vn buv.edu.vn hoasen.edu.vn vlu.edu.vn
moet.gov.vn
vnu.vn edu.vn thuvienphapluat.vn luatvietnam.vn hoc247.net vietjack.com loigiaihay.com
hocmai.vn vuihoc.vn olm.vn violet.vn tailieu.vn
foody.vn shopeefood.vn now.vn baemin.vn highlandscoffee.com.vn phuclong.com.vn
pnj.com.vn sjc.com.vn dojigroup.com.vn coopmart.vn winmart.vn aeon.com.vn lottemart.com.vn
emart.vn kingfoodmart.com mediamart.vn dienmaycholon.vn pico.vn an.vn
""".split()

GOV = """chinhphu.vn dichvucong.gov.vn vneid.gov.vn baohiemxahoi.gov.vn bocongan.gov.vn
gdt.gov.vn thuedientu.gdt.gov.vn canhan.gdt.gov.vn mof.gov.vn sbv.gov.vn moh.gov.vn
moet.gov.vn mic.gov.vn mps.gov.vn mod.gov.vn mofa.gov.vn moit.gov.vn mard.gov.vn
molisa.gov.vn moj.gov.vn moc.gov.vn monre.gov.vn mt.gov.vn most.gov.vn mpi.gov.vn
cinet.gov.vn customs.gov.vn vss.gov.vn quochoi.vn toaan.gov.vn vksndtc.gov.vn
kiemtoannn.gov.vn thanhtra.gov.vn gso.gov.vn ais.gov.vn vncert.gov.vn nca.gov.vn
dangcongsan.vn csgt.vn vr.org.vn xaydungchinhsach.chinhphu.vn
""".split()
PROVINCES = """hanoi hochiminhcity danang haiphong cantho angiang bariavungtau bacgiang backan
baclieu bacninh bentre binhdinh binhduong binhphuoc binhthuan camau caobang daklak daknong
dienbien dongnai dongthap gialai hagiang hanam hatinh haiduong haugiang hoabinh hungyen
khanhhoa kiengiang kontum laichau lamdong langson laocai longan namdinh nghean ninhbinh
ninhthuan phutho phuyen quangbinh quangnam quangngai quangninh quangtri soctrang sonla
tayninh thaibinh thainguyen thanhhoa thuathienhue tiengiang travinh tuyenquang vinhlong
vinhphuc yenbai""".split()
DEPTS = ["", "sotttt.", "stttt.", "congan.", "dichvucong.", "sotc.", "skhdt.", "sgddt.", "syt.", "ubnd.",
         "sonv.", "stp.", "sct.", "snnptnt.", "sgtvt.", "sxd.", "stnmt.", "svhttdl.", "sldtbxh.", "www."]
INTL = """wikipedia.org github.com stackoverflow.com microsoft.com live.com office.com outlook.com
amazon.com netflix.com spotify.com twitter.com x.com instagram.com whatsapp.com linkedin.com
reddit.com yahoo.com bing.com baidu.com qq.com weibo.com naver.com kakao.com line.me
cloudflare.com adobe.com dropbox.com zoom.us slack.com discord.com twitch.tv paypal.com
ebay.com aliexpress.com alibaba.com booking.com agoda.com airbnb.com samsung.com xiaomi.com
oppo.com vivo.com huawei.com sony.com lg.com bbc.com cnn.com nytimes.com reuters.com
theguardian.com telegraph.co.uk bloomberg.com medium.com wordpress.com blogger.com
mozilla.org python.org rust-lang.org crates.io npmjs.com docker.com gitlab.com
bitbucket.org atlassian.com notion.so canva.com figma.com openai.com anthropic.com
tiktokcdn.com fbcdn.net googleapis.com gstatic.com mzstatic.com icloud-content.com
apple-dns.net telegram.me t.me cdninstagram.com ytimg.com googlevideo.com
mbank.pl tbank.ru otpbank.hu seabank.co.id agibank.com.br lbank.com zalora.com momoshop.com.tw
pcloud.com cloud.com hicloud.com telegraf.rs incometax.gov.in hometax.go.kr metaxads.com
thefacebook.com facebook-hardware.com intercom-messenger.com tiktokio.com
""".split()
IDN_REAL = ["bücher.de", "münchen.de", "中国.cn", "пример.рф", "xn--80ak6aa92e.com", "españa.com",
            "dịchvụ.vn", "tiếngviệt.vn", "việtnam.vn", "hànội.vn", "điệnthoại.vn", "nhàđất.vn",
            "sàigòn.vn", "đàlạt.vn", "ngânhàng.vn", "bưuđiện.vn", "cổngthôngtin.vn", "hànội.com"]
TARGET_SUBS = """m.facebook.com www.facebook.com web.facebook.com business.facebook.com l.facebook.com
chat.zalo.me id.zalo.me oa.zalo.me zalo.me www.zalo.me stc-zaloprofile.zdn.vn
play.google.com apps.apple.com www.apple.com support.apple.com appleid.apple.com
www.icloud.com web.telegram.org www.tiktok.com vt.tiktok.com www.messenger.com
ebank.vietcombank.com.vn vcbdigibank.vietcombank.com.vn portal.vietcombank.com.vn
ebanking.vietinbank.vn ipay.vietinbank.vn smartbanking.bidv.com.vn ibank.agribank.com.vn
onlinebanking.techcombank.com.vn online.mbbank.com.vn online.acb.com.vn neo.vpbank.com.vn
ebank.tpb.vn isacombank.com.vn business.momo.vn pay.vnpay.vn sandbox.vnpayment.vn
""".split()

benign = []
def add(h, note):
    benign.append((h, note))
for h in VN_SITES:
    add(h, "Vietnamese site")
    for sub in ["www.", "m."]:
        add(sub + h, "Vietnamese site, service subdomain")
for h in GOV:
    add(h, "public body")
    add("www." + h, "public body")
for p in PROVINCES:
    for d in DEPTS:
        add(f"{d}{p}.gov.vn", "province portal or department (gov.vn)")
for h in INTL:
    add(h, "international site")
    add("www." + h, "international site")
for h in IDN_REAL:
    add(h.encode("idna").decode() if not h.startswith("xn--") else h, "real IDN name")
for h in TARGET_SUBS:
    add(h, "legitimate host of a target")
with open("tests/data/lookalike_benign.tsv", "w") as f:
    f.write("# Benign hosts: host<TAB>note. Real names written for the project (no copy of any list);\n")
    f.write("# www./m. rows and province department rows are the subdomains these bodies run\n")
    f.write("# (scripts/gen-lookalike-cases.py).\n")
    seen = set()
    for h, n in benign:
        if h not in seen:
            seen.add(h)
            f.write(f"{h}\t{n}\n")
print(len(seen), "benign")
