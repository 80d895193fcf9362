"""The demo office's model apartments: three furnished apartments with their item lists, and the last 30 days of
their checks and the night's rounds — most on time, a few late or missed, some with a problem noted (SHW-1, SHW-2,
SHW-3, SHW-9), written with plain inserts in one transaction, as the visit history is; then the incidents, work
orders, release slips and evening handovers of those days (SHW-4 … SHW-7), few enough to go through their services
at their own moments, audited as the office's would be."""
from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import Connection, insert

from app import clock
from app.database.uow import UnitOfWork
from app.domain import showroom_day
from app.domain.showroom_day import CheckKind
from app.models.showroom import Apartment, ItemVersion, ShowroomCheck, ShowroomItem
from app.permissions import Actor
from app.services.showroom import checks, handovers, incidents, items, release_slips, templates, work_orders

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




@dataclass(frozen=True)
class Crew:
    docents: list[Actor]
    night_watch: Actor
    supervisor: Actor
    manager: Actor
    engineer: Actor


VISITORS = (("王先生", "138"), ("林女士", "139"), ("陈先生", "136"), ("赵女士", "137"), ("刘先生", "135"))
REPAIRS = ("主卧床头灯不亮，需更换灯泡", "卫生间水龙头滴水", "阳台推拉门滑轨卡顿", "客厅背景音乐音箱无声", "厨房橱柜门铰链松动")
At = Callable[[int, int, int, Callable[[], object]], bool]


def records(uow: Callable[[], UnitOfWork], rng: random.Random, crew: Crew, *, today: date, now: datetime,
            days: int) -> None:
    """The last days' incidents, work orders, release slips and evening handovers, each through its service at its
    own moment: most settled and done, a few still open (SHW-4, SHW-5, SHW-6, SHW-7)."""
    flats = [f.id for f in items.apartments(uow())]
    schedule: list[tuple[datetime, int, Callable[[], object]]] = []

    def at(days_ago: int, hour: int, minute: int, action: Callable[[], object]) -> bool:
        """Do `action` at that moment when it lies in the history and has happened; says whether it will."""
        moment = clock.at_office(today - timedelta(days=days_ago), hour, minute)
        if days_ago >= days or moment > now:
            return False
        schedule.append((moment, len(schedule), action))
        return True

    for n, (days_ago, settled) in enumerate(((12, "listed"), (8, "waived"), (5, "agreed"), (3, "listed"), (1, ""),
                                             (0, ""))):
        _incident(at, uow, rng, crew, flats[n % len(flats)], days_ago, settled, n)
    for n, (days_ago, steps_done) in enumerate(((10, 4), (6, 4), (2, 4), (1, 2), (0, 1))):
        planned = clock.at_office(today - timedelta(days=days_ago), 18, 30)
        _work_order(at, uow, crew, flats[n % len(flats)], days_ago, steps_done, REPAIRS[n % len(REPAIRS)], planned)
    for n, (days_ago, steps_done) in enumerate(((9, 4), (4, 3), (1, 2), (0, 1))):
        _slip(at, uow, crew, flats[n % len(flats)], days_ago, steps_done)
    for days_ago in range(min(days, DAYS) - 1, -1, -1):
        docent = crew.docents[days_ago % len(crew.docents)]
        at(days_ago, 18, 35, partial(_handover, uow, rng, docent, crew.night_watch))
    for moment, _order, action in sorted(schedule, key=lambda entry: entry[:2]):
        with clock.frozen(moment):
            action()


def _signed(rng: random.Random) -> list[list[tuple[float, float]]]:
    x = rng.uniform(0.05, 0.2)
    return [[(round(x + i * 0.1, 4), round(0.5 + rng.uniform(-0.25, 0.25), 4)) for i in range(7)]]


def _incident(at: At, uow: Callable[[], UnitOfWork], rng: random.Random, crew: Crew, flat: int, days_ago: int,
              settled: str, n: int) -> None:
    """An item damaged by a visitor (or found short at the closing count: waived), settled as `settled`; "" still
    open (awaiting marketing's approval, or, today, the proposal)."""
    docent = crew.docents[n % len(crew.docents)]
    listed = items.item_list(uow(), apartment_id=flat)
    item = listed[(n * 7) % len(listed)]
    name, prefix = VISITORS[n % len(VISITORS)]
    visitor = {} if settled == "waived" else {"visitor_name": name,
                                              "visitor_phone": prefix + f"{rng.randrange(10**8):08d}"}
    kind, what = (("missing", "闭店盘点时发现短少") if settled == "waived" else
                  ("damaged", rng.choice(("小朋友玩耍时碰倒", "参观时不慎碰落摔坏", "坐靠时压坏"))))
    numbers: list[int] = []
    if not at(days_ago, 18 if settled == "waived" else 15, 10, lambda: numbers.append(incidents.record(
            docent, uow(), apartment_id=flat, kind=kind, item_id=item.id, quantity=1, what=what, **visitor).number)):
        return
    if not settled and days_ago == 0:
        return  # recorded today: the settlement still to be proposed
    note = {"waived": "无法确认责任人", "agreed": "老客户，协商按半价"}.get(settled, "")
    amount = f"{item.price_fen / 200:.2f}" if settled == "agreed" else ""
    at(days_ago, 18 if settled == "waived" else 15, 20, lambda: incidents.propose(
        docent, uow(), number=numbers[0], settlement=settled or "listed", amount=amount, note=note))
    at(days_ago, 18, 25, lambda: incidents.approve(crew.supervisor, uow(), number=numbers[0], side="service"))
    if settled:
        at(days_ago, 18, 30, lambda: incidents.approve(crew.manager, uow(), number=numbers[0], side="marketing"))
        at(days_ago, 18, 32, lambda: incidents.sign(docent, uow(), number=numbers[0],
                                                    strokes=_signed(rng) if visitor else None))


def _work_order(at: At, uow: Callable[[], UnitOfWork], crew: Crew, flat: int, days_ago: int, steps_done: int,
                what: str, planned: datetime) -> None:
    """A repair asked for in the morning for the evening, taken `steps_done` of its 4 steps."""
    docent = crew.docents[days_ago % len(crew.docents)]
    numbers: list[int] = []
    steps = [(11, 0, lambda: numbers.append(work_orders.request(docent, uow(), apartment_id=flat, what=what,
                                                                planned_at=planned).number)),
             (11, 30, lambda: work_orders.decide(crew.engineer, uow(), number=numbers[0], approve=True)),
             (18, 40, lambda: work_orders.record_entry(docent, uow(), number=numbers[0], workers="物业维修 2 人",
                                                       materials="工具箱、备用配件")),
             (20, 0, lambda: work_orders.accept(crew.night_watch, uow(), number=numbers[0], note="已修好，现场已清理"))]
    for hour, minute, action in steps[:steps_done]:
        if not at(days_ago, hour, minute, action):
            return


def _slip(at: At, uow: Callable[[], UnitOfWork], crew: Crew, flat: int, days_ago: int, steps_done: int) -> None:
    """Something carried out for cleaning or repair, taken `steps_done` of: asked, approved, let out, brought back
    two days later."""
    docent = crew.docents[days_ago % len(crew.docents)]
    item = next(i for i in items.item_list(uow(), apartment_id=flat) if i.quantity > 1)
    numbers: list[int] = []
    steps = [(0, 17, 0, lambda: numbers.append(release_slips.request(
                docent, uow(), apartment_id=flat, purpose="送洗" if days_ago % 2 else "送修", carrier="保洁公司 刘师傅",
                lines=[(item.id, 1)]).number)),
             (0, 17, 10, lambda: release_slips.decide(crew.supervisor, uow(), number=numbers[0], approve=True)),
             (0, 18, 15, lambda: release_slips.release(docent, uow(), number=numbers[0])),
             (2, 10, 0, lambda: release_slips.bring_back(docent, uow(), item_id=item.id, quantity=1,
                                                         slip=numbers[0]))]
    for later, hour, minute, action in steps[:steps_done]:
        if not at(days_ago - later, hour, minute, action):
            return


def _handover(uow: Callable[[], UnitOfWork], rng: random.Random, docent: Actor, night_watch: Actor) -> None:
    """The evening's handover from the docent to the night watch, acknowledged by him on the spot."""
    made = handovers.hand_over(docent, uow(), incoming_id=night_watch.id, strokes=_signed(rng), note="钥匙已交接")
    handovers.acknowledge(night_watch, uow(), number=made.number, strokes=_signed(rng))
