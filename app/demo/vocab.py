"""What a demo office is made of: its staff, and how its visitors are named, reached and what they want.

Plain data and small pure functions of a random generator, so the same seed always gives the same office.
"""
from __future__ import annotations

import random

from app.permissions import Role

STAFF: tuple[tuple[str, Role], ...] = (
    ("赵志强", Role.MANAGER),  # first: a new office's first account must be its manager
    ("钱丽华", Role.SUPERVISOR),
    ("孙小雅", Role.RECEPTIONIST),  # the demo signs the window in as her
    ("李婷婷", Role.RECEPTIONIST),
    ("周杰", Role.CONSULTANT),
    ("吴芳", Role.CONSULTANT),
    ("郑浩", Role.CONSULTANT),
    ("王磊", Role.CONSULTANT),
    ("冯静", Role.CONSULTANT),
    ("陈晨", Role.CONSULTANT),
    ("褚明轩", Role.CONSULTANT),
    ("卫佳怡", Role.CONSULTANT),
    ("蒋莉", Role.DOCENT),
    ("沈悦", Role.DOCENT),
    ("韩桂兰", Role.CLEANER),
    ("杨建军", Role.SECURITY),
    ("朱永强", Role.MAINTENANCE),
    ("秦工", Role.ENGINEERING_LEAD),  # the developer's engineering lead: approves work orders (SHW-5)
)
PIN = "1234"
TABLES: tuple[tuple[str, bool], ...] = (
    *((f"A{i}", False) for i in range(1, 7)),
    ("VIP1", True),
    ("VIP2", True),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_NAMES = (
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 文 华 金凤 志强 海燕 建国 "
    "玉兰 晓东 子涵 浩然 欣怡 梓萱 宇轩 雨桐 思远 嘉怡 俊杰 佳琪 志明 丽华 婷婷 鹏 辉 斌 宁 颖 慧 晨 飞 鑫 波 "
    "倩 琳 凯 帆 旭 瑶 红梅 春燕 国庆 德胜 淑珍 凤英 晓燕 建平 永刚 小红 雪 蕾 博文 一鸣 诗涵 若曦 天佑 家豪"
).split()

# Valid mainland mobile prefixes (REC-1: 1[3-9] and 9 more digits).
MOBILE_PREFIXES = ("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 "
                   "176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199").split()
# The last eight digits are the customer's number through a bijection of 0..10^8-1 (the multiplier is prime
# to 10), so every demo phone differs without remembering the ones already given out.
_SCRAMBLE = 48_271_939

# How visitors heard of the project (app.domain.channels codes) and how often.
CHANNEL_WEIGHTS = {
    "internet": 25, "walk_by": 18, "friend": 12, "billboard": 10, "phone": 9, "agency": 10,
    "owner_referral": 8, "newspaper": 3, "other": 2,
}
PARTY_SIZES, PARTY_WEIGHTS = (1, 2, 3, 4, 5), (25, 35, 20, 13, 7)
# Weekday (Monday = 0) traffic: weekends are the busy days of a sales office.
WEEKDAY_WEIGHTS = (0.8, 0.8, 0.9, 0.9, 1.1, 2.3, 2.1)
# Arrivals per opening hour (09:00 first): mornings at ten, afternoons from two to four.
HOUR_WEIGHTS = (0.6, 1.3, 1.2, 0.6, 0.8, 1.3, 1.4, 1.1, 0.6)

_UNITS = (("两房", 75, 95), ("三房", 98, 135), ("四房", 138, 180), ("复式", 160, 220), ("洋房", 110, 150))
_WISHES = ("，看重学区", "，首次置业", "，改善型", "，投资", "，关注车位", "，要高楼层", "，带父母同住", "，想要南北通透")

FOLLOW_UP_METHOD_WEIGHTS = {"phone": 50, "wechat": 35, "sms": 10, "visit": 5}
FOLLOW_UPS = (
    "电话回访，客户对户型满意，约周末带家人再来看样板房",
    "微信发送了最新价格表和户型图，客户表示会认真考虑",
    "客户在比较周边楼盘，主要关注学区和交房时间",
    "客户询问首付比例和贷款政策，已详细解答",
    "客户暂时没有购房计划，下个月再跟进",
    "约定本周六上午到访看样板间",
    "客户对价格有顾虑，已向经理申请优惠，待回复",
    "客户家人意见不统一，建议再来现场看一次",
    "客户想要高楼层南向的房源，已登记意向",
    "发送了开盘活动邀请，客户表示会来参加",
    "客户关心物业费和车位价格，已说明",
    "电话未接通，已发短信留言",
)
CALL_QUESTIONS = (
    "询问均价和近期优惠活动",
    "询问交房时间和装修标准",
    "询问学区划分",
    "询问车位配比和物业费",
    "询问首付比例和公积金贷款",
    "询问样板房开放时间和地址",
    "询问还有哪些户型在售",
    "询问周边交通和配套",
)


def person_name(rng: random.Random) -> str:
    """A surname and given name, or at a first meeting often just the surname with 先生/女士."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
    if rng.random() < 0.3:
        return surname + rng.choice(("先生", "女士"))
    return surname + rng.choice(GIVEN_NAMES)


def mobile(number: int, salt: int) -> str:
    """The `number`th demo customer's mobile; different numbers always give different phones."""
    tail = (number * _SCRAMBLE + salt) % 100_000_000
    return f"{MOBILE_PREFIXES[(number * 7 + salt) % len(MOBILE_PREFIXES)]}{tail:08d}"


def intent(rng: random.Random) -> str:
    """What the visitor is looking for, the way the desk writes it: "三房 120㎡ 预算300万"."""
    rooms, low, high = rng.choice(_UNITS)
    area = rng.randint(low, high)
    budget = round(area * rng.uniform(2.2, 3.2) / 10) * 10  # 22,000–32,000 yuan a square metre
    wish = rng.choice(_WISHES) if rng.random() < 0.35 else ""
    return f"{rooms} {area}㎡ 预算{budget}万{wish}"

# The unit a consultant is waiting for the manager to confirm in the demo (VIS-8): in a building the demo's
# history never sells from (it has 30).
REQUESTED_UNIT = "31-1-1801"
REQUESTED_UNIT_NOTE = "客户想今天下午交定金"
