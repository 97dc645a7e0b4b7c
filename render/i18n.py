"""Every word the UI shows, in English and Chinese, looked up by key.

Why one table: the font shipped to the browser is subset to exactly the glyphs used here
(``tools/subset_font.py`` reads :data:`STRINGS`), so a label missing from this table would
render as boxes in Chinese.  Values may hold ``{}``-style fields filled at draw time with
digits and ASCII only.
"""

from __future__ import annotations

#: the languages, in the order of every table's columns (the language button steps through
#: them).  Adding one: its code here, a column in every table, then tools/subset_font.py.
LANGS = ("en", "zh")


def column(lang: str) -> int:
    """The table column of ``lang`` (an unknown code reads the first language)."""
    return LANGS.index(lang) if lang in LANGS else 0


def next_lang(lang: str) -> str:
    """The language the language button switches to."""
    return LANGS[(column(lang) + 1) % len(LANGS)]

STRINGS: dict[str, tuple[str, str]] = {
    # scene
    "title": ("River Factory", "河流工厂"),
    "street": ("STREET", "街道"),
    "door": ("DOOR", "大门"),
    "cashier": ("CASHIER", "收银"),
    "delivery": ("DELIVERY", "取货"),
    "refund": ("REFUND", "退款"),
    "lobby": ("LOBBY", "大厅"),
    "vip_lane": ("VIP", "贵宾"),
    "normal_lane": ("QUEUE", "排队"),
    "gallery": ("IN PRODUCTION", "生产中"),
    "rented": ("RENTED", "租用"),
    "supplier": ("SUPPLIER", "供应商"),
    "paused": ("PAUSED", "已暂停"),
    "outage": ("OUTAGE", "故障"),
    "circuit_open": ("BREAKER OPEN", "熔断"),
    "circuit_half_open": ("PROBING", "探测中"),
    "basket": ("basket {}/{}", "篮子 {}/{}"),
    "sim_error": ("simulation stopped: {}", "模拟已停止: {}"),
    # dashboard
    "clock": ("day {} {}", "第{}天 {}"),
    "speed": ("speed {}", "速度 {}"),
    "speed_kept": ("speed {} (plays {})", "速度 {}（实际 {}）"),
    "speed_paused": ("PAUSED", "暂停"),
    "revenue": ("revenue", "收入"),
    "costs": ("costs", "成本"),
    "profit": ("profit", "利润"),
    "refunds": ("refunds", "退款"),
    "col_model": ("model", "模型"),
    "col_waiting": ("queue (VIP)", "排队(贵宾)"),
    "cell_waiting": ("{} ({})", "{} ({})"),
    "col_running": ("running", "运行中"),
    "cell_running": ("{} of {}", "{}/{}台"),
    "col_util": ("util", "利用率"),
    "col_p50p95": ("p50/p95", "p50/p95"),
    "col_rented": ("rent", "租"),
    "spark_queue": ("queue", "队列"),
    "in_building": ("inside {} customers", "店内 {} 人"),
    "arrived": ("arrived {} customers", "到达 {} 人"),
    "rejected": ("turned away {} customers", "拒入 {} 人"),
    "left": ("left {} customers", "离开 {} 人"),
    "dropout": ("dropout {}", "流失率 {}"),
    "retries": ("retried {} calls", "重试 {} 次"),
    "delivered": ("delivered {} orders", "已交付 {} 单"),
    "dead_letters": ("dead letters {} orders", "死信 {} 单"),
    "asked": ("asked {} customers", "询问 {} 人"),
    "u_customers": ("customers", "人"),
    "u_orders": ("orders", "单"),
    "u_calls": ("calls", "次"),
    "alerts": ("alerts", "警报"),
    "alert_wait_p95": ("wait p95", "等待 p95"),
    "alert_abandon_rate": ("abandon", "放弃"),
    "alert_queue_len": ("queue", "队列"),
    "alert_breaker_open": ("breaker", "熔断"),
    "ticker": ("events", "事件"),
    "seed": ("seed {}", "种子 {}"),
    # KPI strip, sparkline scales, alert lamp tooltips (one name per figure: the strip's)
    "kpi_service_level": ("service level · run", "服务水平 · 开始后"),
    "kpi_service_target": ("goal ≥{} in {}", "目标 {1}内≥{0}"),
    "kpi_wait_p95": ("wait p95", "等待 p95"),
    "kpi_wait_p95_window": ("wait p95 · last {}", "等待 p95 · 最近{}"),
    "kpi_wait_target": ("incl. gave up", "计入放弃"),
    "kpi_margin": ("margin", "利润率"),
    "kpi_margin_detail": ("profit/revenue", "利润/收入"),
    "kpi_margin_none": ("no revenue yet", "未有收入"),
    "kpi_customers_lost": ("customers lost", "流失顾客"),
    "kpi_customers_n": ("{} cust.", "{} 位顾客"),
    "kpi_lost_detail": ("away + left", "拒入 + 离开"),   # fits beside "123 cust."
    # one line per tile, shown on hover: what the figure counts, over which span, and when
    # it is green (each definition is written once, in sim/kpi.py)
    "kpi_tip_service_level": (
        "share of all orders asked for since the start (turned away and left included) "
        "started within {}; green at ≥{} and no alert against it",
        "开始后全部订单(计入拒入和离开的)中{}内开始的比率;≥{}并没有警报时为绿"),
    "kpi_tip_wait_p95": (
        "95th percentile wait over the last {}, orders that gave up counted with the time "
        "they waited; red above {} (the wait alert)",
        "最近{}等待的第95百分位,放弃的订单用已等时间计入;超过{}为红(等待警报)"),
    "kpi_tip_customers_lost": ("customers turned away at the door or gone at the 3x "
                               "breaker, since the start",
                               "开始后在门口被拒或在3倍等待时离开的顾客"),
    "kpi_tip_revenue_lost": ("what turned-away customers came to buy plus every order "
                             "refunded undelivered, since the start",
                             "开始后被拒顾客的订单加上全部未交付退款的订单"),
    "kpi_tip_margin": ("profit over revenue since the start; — while there is no revenue",
                       "开始后利润/收入;未有收入时为 —"),
    "kpi_tip_rentals": ("what rented slots cost since the start, against the revenue of "
                        "the orders they delivered",
                        "开始后租用槽位的成本,比这种槽位交付订单的收入"),
    "kpi_revenue_lost": ("revenue lost", "损失收入"),
    "kpi_failed_detail": ("{} failed", "{} 单失败"),
    "kpi_rentals": ("rental cost", "租用成本"),
    "kpi_rentals_budget": ("rental cost, {} left", "租用成本, 预算剩 {}"),
    "kpi_rent_detail": ("earned {}", "赚回 {}"),
    "spark_span": ("-{}", "-{}"),
    "spark_max": ("max {}", "最大 {}"),
    "tt_alert": ("alert {}: {}", "警报 {}: {}"),
    "tt_alert_rule": ("lights above {}", "超过 {} 时亮"),
    "tt_alert_now": ("read {1} at {0}", "{0} 读数 {1}"),
    "tt_alert_since": ("since {}", "自 {} 起"),
    "tt_alert_breaker_open": ("lights while a breaker is open", "有熔断器打开时亮"),
    # ticker lines
    "ev_arrive": ("#{} arrives ({})", "#{} 到达 ({})"),
    "ev_reject": ("#{} turned away: {}", "#{} 被拒: {}"),
    "ev_admit": ("#{} admitted, {} orders", "#{} 入场, {} 单"),
    "ev_deliver": ("order {} delivered {}", "订单 {} 交付 {}"),
    "ev_deliver_many": ("{} orders delivered, last {}", "{} 单已交付, 最近一单 {}"),
    "ev_fail": ("order {}: {} {}, try {}", "订单 {0}: {1} {2}, 第{3}次"),
    "ev_refund": ("order {} refunded {}", "订单 {} 退款 {}"),
    "ev_dead_letter": ("order {} dead-lettered", "订单 {} 进入死信"),
    "ev_ask": ("#{} asked: wait {}", "#{} 被询问: 需等 {}"),
    "ev_answer_stay": ("#{} keeps waiting", "#{} 继续等待"),
    "ev_answer_go": ("#{} gives up", "#{} 放弃"),
    "ev_leave": ("#{} leaves, refunded", "#{} 离开, 已退款"),
    "ev_circuit": ("{} breaker {}", "{} 熔断器 {}"),
    "ev_outage": ("{} outage", "{} 故障"),
    "ev_rent": ("rented {1} {0} slots ({2})", "租用 {0} {1} 个槽位 ({2})"),
    "ev_return": ("returned {1} {0} slots ({2})", "归还 {0} {1} 个槽位 ({2})"),
    "ev_alert_on": ("ALERT {}", "警报 {}"),
    "ev_alert_off": ("cleared {}", "解除 {}"),
    "ev_command": ("operator: {}", "操作员: {}"),
    "ev_batch": ("{} batch of {}", "{} 批量 {}"),
    "ev_start": ("order {} starts on {}", "订单 {} 开始 {}"),
    # controls
    "sl_spawn": ("spawn /min", "到达/分"),
    "sl_trace_speed": ("trace speed", "回放速度"),
    "sl_capacity": ("{} slots", "{} 槽位"),
    "sl_multiplier": ("breaker x", "等待熔断 x"),
    "sl_vip": ("VIP share", "贵宾比例"),
    "sl_speed": ("speed", "速度"),
    "bt_model": ("model: {}", "模型: {}"),
    "bt_outage": ("outage {}m", "故障{}分"),
    "bt_pause": ("pause dispatch", "暂停派单"),
    "bt_resume": ("resume dispatch", "恢复派单"),
    "bt_clear": ("clear queue", "清空队列"),
    "bt_rent": ("rent +{}", "租用 +{}"),
    "bt_return": ("return -{}", "归还 -{}"),
    "bt_autoscaler": ("autoscaler {}", "自动扩容 {}"),
    "on": ("ON", "开"),
    "off": ("OFF", "关"),
    "bt_reset": ("reset: new seed", "重置: 新种子"),
    "bt_scenario": ("scenario: {}", "场景: {}"),
    "bt_lang": ("中文", "English"),
    "bt_fullscreen": ("F11 full", "F11 全屏"),
    "bt_help": ("help [H]", "帮助 [H]"),
    "bt_share": ("share [U]", "分享 [U]"),
    # tooltips
    "tt_person": ("customer #{}", "顾客 #{}"),
    "tt_tier": ("tier {}  VIP {}", "等级 {}  贵宾 {}"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "tt_wallet": ("wallet {}  held {}", "钱包 {}  冻结 {}"),
    "tt_orders": ("orders: {} done, {} active, {} waiting", "订单: {} 完成, {} 进行, {} 待提交"),
    "tt_queue": ("queue #{} on {}, start in {}", "{1} 队列第 {0} 位, {2} 后开始"),
    "tt_running": ("in production", "生产中"),
    "tt_patience": ("patience {}  in for {}", "耐心 {}  已等 {}"),
    "tt_state": ("state: {}", "状态: {}"),
    "tt_walking": ("walking: {}", "行走: {}"),
    "tt_slot": ("{} slot {}{}", "{} 槽位 {}{}"),
    "tt_slot_state": ("state: {}", "状态: {}"),
    "tt_call": ("{} order(s), {} done", "{} 单, 完成 {}"),
    "tt_orders_ids": ("orders {}", "订单 {}"),
    "tt_arrives": ("arrives in {}", "{} 后到达"),
    "tt_last_fail": ("last failure {} ago", "上次失败 {} 前"),
    "tt_rented_mark": (" (rented)", " (租用)"),
    # states
    "st_inside": ("inside", "店内"),
    "st_asked": ("asked: stay?", "被询问: 继续?"),
    "st_rejected": ("turned away", "被拒"),
    "st_left": ("left", "已离开"),
    "st_done": ("done", "完成"),
    "st_provisioning": ("provisioning", "准备中"),
    "st_idle": ("idle", "空闲"),
    "st_busy": ("busy", "忙碌"),
    "st_draining": ("draining", "退租中"),
    "st_gone": ("gone", "已移除"),
    # presenter timeline (markers, jumps, hover)
    "mk_flash": ("flash crowd ×{}", "客流暴增 ×{}"),
    "mk_rush": ("rush ×{}", "高峰 ×{}"),
    "mk_busier": ("busier ×{}", "客流增加 ×{}"),
    "mk_calm": ("calmer ×{}", "客流回落 ×{}"),
    "mk_outage": ("{} outage {}", "{} 故障 {}"),
    "mk_spawn_rate": ("arrivals {}/min", "到达 {}/分"),
    "mk_vip_share": ("VIP share {}", "贵宾比例 {}"),
    "mk_capacity": ("{} slots {}", "{} 槽位 {}"),
    "mk_breaker_multiplier": ("breaker ×{}", "等待熔断 ×{}"),
    "mk_autoscaler": ("autoscaler {}", "自动扩容 {}"),
    "mk_pause": ("{} paused", "{} 暂停派单"),
    "mk_resume": ("{} resumed", "{} 恢复派单"),
    "mk_clear_queue": ("{} queue cleared", "{} 清空队列"),
    "mk_rent": ("{} rent +{}", "{} 租用 +{}"),
    "mk_return": ("{} return -{}", "{} 归还 -{}"),
    "mk_cancel_order": ("cancel order {}", "取消订单 {}"),
    "mk_set_price": ("{} price {}", "{} 价格 {}"),
    "mk_all_models": ("all", "全部"),
    "mk_kind_profile": ("arrival profile", "到达曲线"),
    "mk_kind_scripted": ("scenario script", "场景脚本"),
    "mk_kind_recorded": ("operator command", "操作员命令"),
    "mk_kind_pending": ("recorded, replays", "已录制, 将重放"),
    "tl_at": ("{}  arrivals {}/min", "{}  到达 {}/分"),
    "tl_click": ("click: jump here", "点击: 跳到这里"),
    "tl_click_marker": ("click: watch it happen", "点击: 观看这一刻"),
    "tl_rewind": ("rewinding to {}: replay from 00:00  {}%", "倒回 {}: 从 00:00 重放  {}%"),
    "tl_forward": ("fast-forward to {}  {}%", "快进到 {}  {}%"),
    # help overlay
    "help_title": ("Keyboard shortcuts", "快捷键"),
    "help_space": ("SPACE  pause / play", "空格  暂停 / 播放"),
    "help_speed": ("+ / -  faster / slower", "+ / -  加速 / 减速"),
    "help_model": ("{}    choose model", "{}    选择模型"),
    "help_outage": ("O      outage on model", "O      模型故障"),
    "help_dispatch": ("P      pause/resume dispatch", "P      暂停/恢复派单"),
    "help_clear": ("C      clear queue (refund)", "C      清空队列(退款)"),
    "help_rent": ("R / T  rent / return slots", "R / T  租用 / 归还槽位"),
    "help_auto": ("A      autoscaler on/off", "A      自动扩容 开/关"),
    "help_reset": ("N      reset with a new seed", "N      新种子重置"),
    "help_scenario": ("S      next scenario", "S      下一个场景"),
    "help_lang": ("L      English / 中文", "L      English / 中文"),
    "help_help": ("H      this help (Esc closes)", "H      本帮助(Esc 关闭)"),
    "help_fullscreen": ("F11    fullscreen / projector", "F11    全屏 / 投影"),
    "help_follow": ("F      follow the next person in", "F      跟随下一位进门的顾客"),
    "help_overview": ("V      back to the overview", "V      返回全景"),
    "help_zoom": ("wheel  zoom; drag: pan; click: follow", "滚轮  缩放; 拖动: 平移; 点击: 跟随"),
    # -- the followed customer's card (render/panel/customer_card.py) ----------------------
    "cc_title": ("Customer #{} · {} ({} at a time)", "顾客 #{} · {} (同时 {} 单)"),
    "cc_vip": ("VIP", "贵宾"),
    "cc_wallet": ("wallet {} · held {}", "钱包 {} · 冻结 {}"),
    "cc_order": ("{}. {}: {}", "{}. {}: {}"),
    "cc_pending": ("waiting with you (your limit)", "随身等待 (并发上限)"),
    "cc_queued": ("#{} in line, starts in {}", "排第 {} 位, 预计{}后开始"),
    "cc_queued_vips": ("#{} in line, {} VIPs may pass you, starts in {}",
                       "排第 {} 位, {} 位贵宾可能插队, 预计{}后开始"),
    "cc_range": ("{}–{} min", "{}–{} 分钟"),
    "cc_range_s": ("under a minute", "不到 1 分钟"),
    "cc_backoff": ("failed upstream, retrying soon", "上游失败, 即将重试"),
    "cc_running": ("making {} {}%", "生产中 {} {}%"),
    "cc_held": ("{} held", "冻结 {}"),
    "cc_delivered": ("delivered, paid {}", "已交付, 付款 {}"),
    "cc_refunded_failure": ("refunded {}: upstream failed", "退款 {}: 上游失败"),
    "cc_refunded_abandon": ("refunded {}: you left", "退款 {}: 你已离开"),
    "cc_refunded_cancel": ("refunded {}: queue cleared", "退款 {}: 队列被清空"),
    "cc_declined": ("declined: not enough money", "被拒: 余额不足"),
    "cc_ask": ("Production is busy: about {} more minutes. Keep waiting?",
               "当前生产火爆，预计还需等待 {} 分钟，是否继续？"),
    "cc_answer_wait": ("(deciding...)", "(考虑中...)"),
    "cc_answer_stay": ("Answer: yes, keep waiting", "回答: 继续等待"),
    "cc_answer_leave": ("Answer: no, leaving (refunded)", "回答: 不等了, 离开 (已退款)"),
    "cc_end_done": ("Visit over: {} of {} delivered, paid {}", "到访结束: 交付 {}/{} 单, 付款 {}"),
    "cc_end_left": ("Visit over: left at the breaker, {} refunded",
                    "到访结束: 熔断时离开, 退款 {}"),
    "cc_end_rejected": ("Turned away at the door: {}", "在门口被拒入: {}"),
    "cc_stayed": ("stayed {}", "停留 {}"),
    "cc_next": ("F: follow the next person in", "F: 跟随下一位进门的顾客"),
    "follow_overview": ("overview (V)", "全景 (V)"),
    "cc_awaiting": ("Waiting for the next person to come in...", "等待下一位顾客进门..."),
    "help_share": ("U      share this moment (link, QR)", "U      分享此刻(链接, 二维码)"),
    # share dialog (render/share.py)
    "share_title": ("Share this moment", "分享此刻"),
    "share_scan": ("Scan the code, or open this link:", "扫描二维码, 或打开此链接:"),
    "share_copied": ("Copied to the clipboard.", "已复制到剪贴板。"),
    "share_select": ("Select the link under the picture to copy it.",
                     "选中画面下方的链接即可复制。"),
    "share_printed": ("The link is also printed in the terminal.", "链接也已打印在终端中。"),
    "link_failed": ("This link could not be opened", "无法打开此链接"),
    "help_hover": ("Hover a person or a machine for details.",
                   "鼠标悬停在人或机器上查看详情。"),
    "help_badge": ("A \"+N\" badge: more customers in that place than fit on screen. "
                   "Every person drawn and every badge is a real customer.",
                   "\"+N\" 徽章: 该处顾客多于画面能容纳的人数。画出的每个人和徽章都是真实顾客。"),
    "help_timeline": ("Timeline under the factory: click it to jump there, click a flag to "
                      "watch that moment; playback slows to ×30 around every flag.",
                      "工厂下方的时间轴: 点击即跳到该时刻, 点击旗标观看那一刻; "
                      "每个旗标前后播放会减速到 ×30。"),
    "help_legend_title": ("Legend", "图例"),
    "help_glossary_title": ("Glossary", "术语"),
    # legend: one line per symbol of the scene
    "sym_tiers": ("Shirt colour: the customer's tier, L1 to L4",
                  "衣服颜色: 顾客等级 L1 到 L4"),
    "sym_crown": ("Crown: a VIP, served first (the red carpet lane)",
                  "皇冠: 贵宾, 优先服务 (红毯通道)"),
    "sym_bar": ("Bar over a head: share of the wait done; red = past the breaker",
                "头顶的条: 已等待的比例; 红色 = 超过等待熔断"),
    "sym_hourglass": ("Hourglass: an order in production, watched from the gallery",
                      "沙漏: 订单生产中, 顾客在观看区等候"),
    "sym_asked": ("\"!\": asked by the 3× breaker whether to keep waiting",
                  "\"!\": 等待超过 3 倍, 被询问是否继续等待"),
    "sym_coin": ("Coin: left at the breaker, refunded", "硬币: 熔断时离开, 已退款"),
    "sym_product": ("Product in hand: delivered, on the way home",
                    "手拿产品: 已交付, 正在回家"),
    "sym_busy": ("Lit screen: a slot at work; the bar below is its progress",
                 "屏幕亮: 槽位正在工作; 下方的条是进度"),
    "sym_rented": ("Orange border: a rented slot (costs more per hour)",
                   "橙色边框: 租用的槽位 (每小时更贵)"),
    "sym_failed": ("Red machine: an upstream call failed; the order retries",
                   "红色机器: 上游调用失败; 订单将重试"),
    "sym_down": ("Grey machine, red cross: model down (outage, breaker); a bar: a call on it",
                 "灰色机器, 红叉: 模型故障或熔断; 下方的条: 其上仍在运行的调用"),
    "sym_crate": ("Crate: a rented slot on its way; the bar is its delivery",
                  "木箱: 租用的槽位正在送来; 条为送达进度"),
    "sym_bag": ("Coin bag: the manager pays the supplier for rented slots",
                "钱袋: 经理向供应商支付租用槽位"),
    "sym_basket": ("Basket: LLM batching, up to 8 orders in one call",
                   "篮子: LLM 批处理, 一次调用最多 8 单"),
    # glossary: a term, then its definition
    "term_breaker": ("3× breaker", "3 倍等待熔断"),
    "term_breaker_def": ("When an order's expected wait passes 3× the model's mean task time "
                         "(the \"breaker x\" slider), the customer is asked whether to keep "
                         "waiting. Leaving refunds every hold.",
                         "订单预计等待超过模型平均任务时长的 3 倍 (滑块\"等待熔断 x\") 时, "
                         "询问顾客是否继续等待。离开则全额退款。"),
    "term_p95": ("p95", "p95"),
    "term_p95_def": ("95th percentile: 95 of every 100 orders started within this wait; the "
                     "slowest 5 waited longer.",
                     "第 95 百分位: 每 100 单中有 95 单在此等待时间内开始, 最慢的 5 单等得更久。"),
    "term_dropout": ("dropout", "流失率"),
    "term_dropout_def": ("Share of arrived customers lost: turned away at the door or left at "
                         "the breaker.",
                         "到达的顾客中流失的比例: 在门口被拒入, 或在熔断询问时离开。"),
    "term_service": ("service level", "服务水平"),
    "term_service_def": ("Share of orders started within the target wait (a scenario setting): "
                         "green when it meets the goal, red when not.",
                         "在目标等待时间 (场景设定) 内开始的订单比例: 达标为绿, 未达标为红。"),
    "term_circuit": ("circuit breaker", "熔断器"),
    "term_circuit_def": ("When a model's calls fail too often, dispatch to it stops for a "
                         "cool-down (BREAKER OPEN), then one call probes (PROBING).",
                         "模型调用失败过多时, 暂停向它派单一段时间 (熔断), "
                         "然后试探一次 (探测中)。"),
    "term_dead_letter": ("dead letter", "死信"),
    "term_dead_letter_def": ("An order that failed every attempt: refunded and kept in the "
                             "dead-letter list.",
                             "所有尝试都失败的订单: 已退款, 并记入死信列表。"),
    # -- events announce themselves (banners, per-order ticker, tooltips in words) ----------
    "bn_outage": ("OUTAGE · back in {}", "故障 · {}后恢复"),
    "bn_breaker": ("BREAKER OPEN · no calls", "熔断 · 暂停调用"),
    "bn_paused": ("PAUSED · no new orders", "已暂停派单"),
    "ev_deliver_of": ("order {} of #{} delivered {}", "#{1} 的订单 {0} 交付 {2}"),
    "ev_fail_of": ("order {} of #{}: {} {}, try {}", "#{1} 的订单 {0}: {2} {3}, 第{4}次"),
    "ev_refund_of": ("order {} of #{} refunded {} — failed {}×",
                     "#{1} 的订单 {0} 退款 {2}, 失败{3}次"),
    "ev_refund_left": ("order {} of #{} refunded {} ({})", "#{1} 的订单 {0} 退款 {2} ({3})"),
    "rate_deliver": ("{} deliveries/min, last order {} {}", "每分钟交付 {} 单, 最近订单 {} {}"),
    "rate_fail": ("{} failures/min: {} {}", "每分钟失败 {} 次: {} {}"),
    "rate_refund": ("{} refunds/min, last order {} {}", "每分钟退款 {} 单, 最近订单 {} {}"),
    "n_deliver": ("{} delivered, last order {} {}", "已交付 {} 单, 最近订单 {} {}"),
    "n_fail": ("{} failures: {} {}", "失败 {} 次: {} {}"),
    "n_refund": ("{} refunds, last order {} {}", "退款 {} 单, 最近订单 {} {}"),
    "n_reject": ("{} turned away: {}", "拒入 {} 人: {}"),
    "n_leave": ("{} left at the breaker, refunded", "{} 人在熔断时离开, 已退款"),
    "n_answer_stay": ("{} keep waiting", "{} 人继续等待"),
    "n_answer_go": ("{} gave up", "{} 人放弃"),
    "n_ask": ("{} asked to keep waiting", "询问 {} 人是否继续等待"),
    "rate_reject": ("{} turned away/min: {}", "每分钟拒入 {} 人: {}"),
    "rate_leave": ("{} leaving/min at the breaker", "每分钟 {} 人在熔断时离开"),
    "rate_answer_stay": ("{} keep waiting/min", "每分钟 {} 人继续等待"),
    "rate_answer_go": ("{} give up/min", "每分钟 {} 人放弃"),
    "rate_ask": ("{} asked/min to keep waiting", "每分钟询问 {} 人"),
    "pw_waiting": ("waiting for {} orders ({} #{} in line, {})",
                   "等待 {} 单 ({} 排第 {} 位, {})"),
    "pw_waiting_one": ("waiting for 1 order ({} #{} in line, {})",
                       "等待 1 单 ({} 排第 {} 位, {})"),
    "pw_watching": ("watching {} order(s) being made", "观看 {} 单生产中"),
    "pw_retrying": ("an order failed, retrying soon", "有订单失败, 即将重试"),
    "pw_placing": ("walking in with {} order(s) to place", "带着 {} 单进门"),
    "pw_asked": ("asked whether to keep waiting", "被询问是否继续等待"),
    "pw_rejected": ("turned away at the door", "在门口被拒入"),
    "pw_left": ("left at the breaker, refunded", "熔断时离开, 已退款"),
    "pw_done": ("going home with {} delivered", "带着 {} 件成品回家"),
    "pw_making": ("making: {}", "生产中: {}"),
    "mw_batch": ("{} batch of {} orders, {} done", "{} 批量 {} 单, 完成 {}"),
    "mw_one": ("making order {} for #{}, {} done", "正在为 #{1} 生产订单 {0}, 完成 {2}"),
    "mw_one_anon": ("making order {}, {} done", "正在生产订单 {}, 完成 {}"),
    "mw_left": ("{} left", "剩{}"),
    "mw_idle": ("idle: no order waiting", "空闲: 没有等待的订单"),
    "mw_idle_paused": ("idle: dispatch paused", "空闲: 已暂停派单"),
    "mw_outage": ("down: {} outage, back in {}", "停机: {} 故障, {}后恢复"),
    "mw_breaker": ("stopped: breaker open after failures", "停止: 失败过多, 熔断中"),
    "mw_crate": ("on its way from the supplier ({})", "正从供应商送来 ({})"),
    "mw_draining": ("finishing its job, then returned", "完成手头任务后归还"),
    # the live twin's card (render/twin.py): live vs the same customers without the changes
    "twin_title": ("WHAT DID MY CHANGE DO?", "我的改动有什么效果?"),
    "twin_since": ("since {}, {}", "自 {} 起, {}"),
    "twin_changes": ("{} changes", "{} 项改动"),
    "twin_no_change": ("no change yet", "尚无改动"),
    "twin_capacity": ("{} {} slots", "{} 个 {} 槽位"),
    "twin_spawn_rate": ("arrivals {}→{}/min", "到达 {}→{}/分钟"),
    "twin_vip_share": ("VIP share {}", "贵宾比例 {}"),
    "twin_breaker": ("breaker x{}→x{}", "熔断 x{}→x{}"),
    "twin_autoscaler_on": ("autoscaler on", "自动扩容 开"),
    "twin_autoscaler_off": ("autoscaler off", "自动扩容 关"),
    "twin_outage": ("{} outage {} min", "{} 故障 {} 分钟"),
    "twin_pause": ("pause {}", "暂停 {}"),
    "twin_resume": ("resume {}", "恢复 {}"),
    "twin_clear_queue": ("clear {} queue", "清空 {} 队列"),
    "twin_rent": ("rent {} {}", "租用 {} 个 {}"),
    "twin_return": ("return {} {}", "归还 {} 个 {}"),
    "twin_price": ("{} price {}", "{} 价格 {}"),
    "twin_command": ("{}", "{}"),
    "twin_head_live": ("live", "实际"),
    "twin_head_twin": ("twin", "对照"),
    "twin_head_diff": ("change", "差异"),
    "twin_wait_p95_s": ("wait p95", "等待 p95"),
    "twin_service_level": ("service level", "服务水平"),
    "twin_customers_lost": ("customers lost", "流失顾客"),
    "twin_revenue_cents": ("revenue", "收入"),
    "twin_slot_fees_cents": ("slot fees", "槽位费"),
    "twin_rental_cents": ("rentals", "租金"),
    "twin_profit_cents": ("profit", "利润"),
    "twin_paired": ("twin: one paired run (the same customers)", "对照: 一次配对运行 (同一批顾客)"),
    "twin_ci": ("for a confidence interval:", "置信区间请运行:"),
    "twin_no_ci": ("one-off actions: no scenario key to compare", "一次性操作: 无可比较的场景参数"),
    "twin_preparing": ("preparing comparison…", "正在准备对比…"),
    "twin_behind": ("twin behind by {}", "对照落后 {}"),
    "twin_new": ("NEW", "重新对比"),
    "twin_dismiss": ("✕", "✕"),
    "min": ("{} min", "{}分钟"),
    "sec": ("{} s", "{}秒"),
    "hour": ("{} h", "{}小时"),
    "soon": ("any moment", "马上"),
    "approx": ("~{}", "约{}"),
    "starts_in": ("starts in {}", "{}后开始"),
}

#: Scenario names as the desk and the panel show them.
SCENARIO_NAMES: dict[str, tuple[str, str]] = {
    "default": ("default", "默认"),
    "rush-hour": ("rush-hour", "午间高峰"),
    "outage": ("outage", "故障演练"),
    "mmc": ("mmc", "M/M/c 排队"),
    "azure-code-2023": ("azure-code-2023", "Azure 真实流量"),
}

#: Content names as shown next to a model label.
CONTENT: dict[str, tuple[str, str]] = {
    "image": ("image", "图像"),
    "video": ("video", "视频"),
    "audio": ("audio", "音频"),
    "text": ("text", "文本"),
    "job": ("job", "任务"),
}

#: Door rejection reasons, circuit states, alert names as they appear in the ticker.
WORDS: dict[str, tuple[str, str]] = {
    "rate_limited": ("rate limited", "限流"),
    "lobby_full": ("lobby full", "大厅已满"),
    "insufficient_funds": ("no funds", "余额不足"),
    "closed": ("closed", "闭合"),
    "open": ("open", "断开"),
    "half_open": ("half-open", "半开"),
    "auto": ("auto", "自动"),
    "autoscaler": ("autoscaler", "自动扩容"),
    "operator": ("operator", "操作员"),
    "autoscaler_low_load": ("autoscaler: load low", "自动扩容:空闲"),   # a return's reason
    "budget": ("rental budget used up", "租用预算用完"),
    "refunded_failure": ("failure", "失败"),
    "refunded_abandon": ("abandon", "放弃"),
    "refunded_cancel": ("cancel", "取消"),
    "wait_p95": ("wait p95", "等待 p95"),       # the wait alert: the strip's figure
    "abandon_rate": ("abandon rate", "放弃率"),
    "queue_len": ("queue length", "队列长度"),
    "breaker_open": ("breaker open", "熔断开启"),
    "error": ("error", "错误"),
    "throttled": ("throttled", "限速"),
    "outage": ("outage", "故障"),
}


def tr(key: str, lang: str, *args: object) -> str:
    """The label ``key`` in ``lang`` with ``args`` filled in (missing key: the key itself)."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[column(lang)]
    return text.format(*args) if args else text


def word(key: str, lang: str, table: dict[str, tuple[str, str]] = WORDS) -> str:
    """A short domain word (reason, state, content) in ``lang``; unknown words pass through."""
    pair = table.get(key)
    if pair is None:
        return str(key)
    return pair[column(lang)]


def all_text() -> str:
    """Every character any label can show, for the font subset."""
    parts = []
    for table in (STRINGS, CONTENT, WORDS, SCENARIO_NAMES):
        for en, zh in table.values():
            parts.append(en)
            parts.append(zh)
    return "".join(parts)
