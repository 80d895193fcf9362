"""The demo office's model apartments: three furnished apartments with their item lists, and the last 30 days of
their checks and the night's rounds — most on time, a few late or missed, some with a problem noted (SHW-1, SHW-2,
SHW-3, SHW-9). Written with plain inserts in one transaction, as the visit history is; one audit entry says so."""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, insert

from app.database.uow import UnitOfWork
from app.domain import showroom_day
from app.domain.showroom_day import CheckKind
from app.models.showroom import Apartment, ItemVersion, ShowroomCheck, ShowroomItem
from app.services.showroom import checks, templates

DAYS = 30
# (name, rooms): each room's items as (item, brand and model, location, quantity, unit, listed price in yuan).
_LIVING = [("三人真皮沙发", "顾家 KUKA 1098", "电视墙对面", 1, "张", 12800), ("单人休闲椅", "", "窗边", 2, "把", 2600),
           ("大理石茶几", "岩板 1.3m", "沙发前", 1, "张", 3600), ("电视柜", "胡桃木", "电视墙", 1, "组", 4200),
           ("装饰花瓶", "景德镇青花", "茶几", 2, "个", 680), ("干花束", "", "花瓶内", 2, "束", 120),
           ("抱枕", "棉麻", "沙发", 4, "个", 90), ("落地灯", "北欧", "沙发旁", 1, "盏", 980),
           ("装饰画", "抽象油画 80×120", "沙发背景墙", 2, "幅", 1500), ("地毯", "羊毛 2×3m", "茶几下", 1, "块", 3200),
           ("书籍摆件", "", "电视柜", 6, "本", 60), ("绿植", "琴叶榕", "阳台门旁", 1, "盆", 380)]
_DINING = [("餐桌", "岩板 1.6m", "餐厅中央", 1, "张", 5600), ("餐椅", "皮面", "餐桌", 6, "把", 880),
           ("吊灯", "黄铜", "餐桌上方", 1, "盏", 2400), ("餐具套装", "骨瓷", "餐桌", 6, "套", 260),
           ("酒杯", "水晶", "餐边柜", 6, "只", 120), ("餐边柜", "", "餐厅墙边", 1, "组", 4800)]
_BEDROOM = [("双人床", "1.8m 实木", "主卧中央", 1, "张", 8800), ("床垫", "乳胶", "床", 1, "张", 5200),
            ("床品四件套", "真丝", "床", 1, "套", 1800), ("床头柜", "", "床两侧", 2, "个", 1200),
            ("床头灯", "", "床头柜", 2, "盏", 560), ("衣柜", "", "主卧墙边", 1, "组", 9600),
            ("梳妆台", "", "窗边", 1, "张", 2200), ("窗帘", "遮光", "窗", 1, "套", 1600)]
_KID = [("儿童床", "1.2m", "次卧中央", 1, "张", 3800), ("书桌", "", "窗边", 1, "张", 1600),
        ("儿童椅", "", "书桌", 1, "把", 680), ("毛绒玩具", "", "床上", 5, "个", 80), ("地球仪", "", "书桌", 1, "个", 220)]
_KITCHEN = [("咖啡机", "德龙 ECAM", "操作台", 1, "台", 4200), ("烤箱", "嵌入式", "橱柜", 1, "台", 5600),
            ("刀具套装", "双立人", "操作台", 1, "套", 1800), ("锅具", "", "灶台", 3, "个", 600),
            ("调料瓶", "", "操作台", 6, "个", 40), ("水果摆件", "仿真", "操作台", 1, "盘", 150)]
_BATH = [("毛巾", "", "毛巾架", 4, "条", 60), ("浴袍", "", "挂钩", 2, "件", 260), ("香薰", "", "洗手台", 1, "瓶", 180),
         ("洗漱套装", "", "洗手台", 2, "套", 120)]
_ENTRY = [("鞋柜", "", "玄关", 1, "组", 2800), ("穿衣镜", "", "玄关", 1, "面", 680), ("装饰摆件", "铜鹿", "鞋柜上", 3, "个", 240),
          ("钥匙盘", "", "鞋柜上", 1, "个", 80), ("换鞋凳", "", "玄关", 1, "张", 420), ("鞋套架", "", "门口", 1, "个", 60)]
_BALCONY = [("休闲桌椅", "藤编", "阳台", 1, "套", 1600), ("绿植", "", "阳台", 4, "盆", 120), ("洗衣机", "滚筒", "阳台柜", 1, "台", 3600),
            ("晾衣架", "电动", "阳台顶", 1, "套", 1200), ("户外地垫", "", "阳台", 1, "块", 160)]
APARTMENTS = (
    ("A户型 三房两厅 128㎡", {"玄关": _ENTRY, "客厅": _LIVING, "餐厅": _DINING, "主卧": _BEDROOM, "次卧": _KID,
                             "厨房": _KITCHEN, "主卫": _BATH, "阳台": _BALCONY}),
    ("B户型 两房两厅 92㎡", {"玄关": _ENTRY[:4], "客厅": _LIVING[:9], "餐厅": _DINING[:4], "主卧": _BEDROOM,
                            "厨房": _KITCHEN[:4], "卫生间": _BATH, "阳台": _BALCONY[:3]}),
    ("C户型 四房 168㎡", {"玄关": _ENTRY, "客厅": _LIVING, "餐厅": _DINING, "主卧": _BEDROOM, "次卧": _KID,
                         "书房": _KID[1:4], "厨房": _KITCHEN, "主卫": _BATH, "客卫": _BATH[:2], "阳台": _BALCONY}),
)
PROBLEMS = ("抱枕摆放凌乱，已整理", "一盏床头灯不亮，已报修", "地面有鞋印，已通知保洁", "背景音乐音量偏大，已调低",
            "卫生间水龙头滴水，已报修")


def create(uow: Callable[[], UnitOfWork], engine_conn: Callable[[], Connection], rng: random.Random, *,
           docents: list[int], night_watch: int, made_at: datetime, today: date, now: datetime,
           days: int = DAYS) -> int:
    """The three apartments, their lists (made at `made_at`) and their checks of the last `days` days up to `now`;
    returns how many checks."""
    kinds = templates.current(uow())  # the shipped templates, stored as a new office's are
    slots_of = {day: checks.slots_of(uow(), day) for day in (today - timedelta(days=n) for n in range(days + 1))}
    with engine_conn() as conn:
        flats = _apartments(conn, made_at)
        done = 0
        for day, slots in sorted(slots_of.items()):
            for flat_id, listed in flats:
                for slot in slots:
                    row = _check(rng, slot, day, flat_id, listed, kinds[slot.kind], docents, night_watch, now)
                    if row is not None:
                        conn.execute(insert(ShowroomCheck), [row])
                        done += 1
    return done


def _apartments(conn: Connection, made_at: datetime) -> list[tuple[int, list[tuple[int, int]]]]:
    """Each apartment's id and its items (id, quantity)."""
    flats = []
    for name, rooms in APARTMENTS:
        made = conn.execute(insert(Apartment).values(name=name, active=True, created_at=made_at))
        flat_id = made.inserted_primary_key[0]
        listed = []
        for room, things in rooms.items():
            for thing, spec, location, quantity, unit, price in things:
                item_id = conn.execute(insert(ShowroomItem).values(apartment_id=flat_id, created_at=made_at)
                                       ).inserted_primary_key[0]
                conn.execute(insert(ItemVersion).values(
                    item_id=item_id, version=1, valid_from=made_at, room=room, name=thing, spec=spec,
                    quantity=quantity, unit=unit, location=location, price_fen=price * 100, note="", removed=False,
                    changed_by_id=None, reason=""))
                listed.append((item_id, quantity))
        flats.append((flat_id, listed))
    return flats


def _check(rng: random.Random, slot: showroom_day.Slot, day: date, flat_id: int, listed: list[tuple[int, int]],
           template: templates.TemplateRow, docents: list[int], night_watch: int, now: datetime) -> dict | None:
    """One slot's check as the demo office did it, or None when it was missed (or is not yet due)."""
    luck = rng.random()
    if luck < 0.03:
        return None  # missed
    late = luck > 0.93
    done_at = slot.due + timedelta(minutes=rng.randint(0, 20))
    if late:
        done_at = slot.late_after + timedelta(minutes=rng.randint(5, 40))
        done_at = min(done_at, slot.closes - timedelta(minutes=1))
    if done_at > now:
        return None
    problem = rng.random() < 0.06
    answers = [{"point": p, "answer": "problem" if problem and i == 0 else "ok",
                "note": rng.choice(PROBLEMS) if problem and i == 0 else ""} for i, p in enumerate(template.points)]
    who = night_watch if slot.kind == CheckKind.PATROL else rng.choice(docents)
    counts = {str(item): quantity for item, quantity in listed} if template.count_items else {}
    x = rng.uniform(0.1, 0.3)
    strokes = [[(round(x + i * 0.05, 4), round(0.5 + rng.uniform(-0.2, 0.2), 4)) for i in range(8)]]
    return {"apartment_id": flat_id, "day": day, "slot": slot.key, "template_id": template.id, "done_at": done_at,
            "done_by_id": who, "entered_at": done_at, "entered_by_id": who,
            "answers": json.dumps(answers, ensure_ascii=False), "counts": json.dumps(counts) if counts else "",
            "signature": json.dumps(strokes, separators=(",", ":")), "problems": int(problem)}

