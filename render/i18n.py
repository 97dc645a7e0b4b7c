"""Every word the UI shows, in English and Chinese, looked up by key.

Why one table: the font shipped to the browser is subset to exactly the glyphs used here
(``tools/subset_font.py`` reads :data:`STRINGS`), so a label missing from this table would
render as boxes in Chinese.  Values may hold ``{}``-style fields filled at draw time with
digits and ASCII only.
"""

from __future__ import annotations

LANGS = ("en", "zh")

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
    "speed_paused": ("PAUSED", "暂停"),
    "revenue": ("revenue", "收入"),
    "costs": ("costs", "成本"),
    "profit": ("profit", "利润"),
    "refunds": ("refunds", "退款"),
    "col_model": ("model", "模型"),
    "col_waiting": ("wait n/v", "排队 普/贵"),
    "col_running": ("run/slots", "运行/槽"),
    "col_util": ("util", "利用"),
    "col_p50p95": ("p50/p95", "p50/p95"),
    "col_rented": ("rent", "租"),
    "spark_wait": ("wait p95", "等待 p95"),
    "spark_queue": ("queue", "队列"),
    "spark_profit": ("profit", "利润"),
    "in_building": ("inside {}", "馆内 {}"),
    "arrived": ("arrived {}", "到达 {}"),
    "rejected": ("turned away {}", "拒入 {}"),
    "left": ("left {}", "离开 {}"),
    "dropout": ("dropout {}", "流失率 {}"),
    "retries": ("retries {}", "重试 {}"),
    "delivered": ("delivered {}", "已交付 {}"),
    "dead_letters": ("dead letters {}", "死信 {}"),
    "asked": ("asked {}", "询问 {}"),
    "alerts": ("alerts", "警报"),
    "alert_mean_wait": ("wait", "等待"),
    "alert_abandon_rate": ("abandon", "放弃"),
    "alert_queue_len": ("queue", "队列"),
    "alert_breaker_open": ("breaker", "熔断"),
    "ticker": ("events", "事件"),
    "seed": ("seed {}", "种子 {}"),
    # ticker lines
    "ev_arrive": ("#{} arrives ({})", "#{} 到达 ({})"),
    "ev_reject": ("#{} turned away: {}", "#{} 被拒: {}"),
    "ev_admit": ("#{} admitted, {} orders", "#{} 入场, {} 单"),
    "ev_deliver": ("order {} delivered {}", "订单 {} 交付 {}"),
    "ev_deliver_many": ("{} orders delivered, last {}", "{} 单已交付, 最近一单 {}"),
    "ev_fail": ("order {} failed on {} ({})", "订单 {} 在 {} 失败 ({})"),
    "ev_refund": ("order {} refunded {}", "订单 {} 退款 {}"),
    "ev_dead_letter": ("order {} dead-lettered", "订单 {} 进入死信"),
    "ev_ask": ("#{} asked: wait {}", "#{} 被询问: 需等 {}"),
    "ev_answer_stay": ("#{} keeps waiting", "#{} 继续等待"),
    "ev_answer_go": ("#{} gives up", "#{} 放弃"),
    "ev_leave": ("#{} leaves, refunded", "#{} 离开, 已退款"),
    "ev_circuit": ("{} breaker {}", "{} 熔断器 {}"),
    "ev_outage": ("{} outage", "{} 故障"),
    "ev_rent": ("rent {} x{} ({})", "租用 {} x{} ({})"),
    "ev_return": ("return {} x{} ({})", "归还 {} x{} ({})"),
    "ev_alert_on": ("ALERT {}", "警报 {}"),
    "ev_alert_off": ("cleared {}", "解除 {}"),
    "ev_command": ("operator: {}", "操作员: {}"),
    "ev_batch": ("{} batch of {}", "{} 批量 {}"),
    "ev_start": ("order {} starts on {}", "订单 {} 开始 {}"),
    # controls
    "sl_spawn": ("spawn /min", "到达/分"),
    "sl_capacity": ("{} slots", "{} 槽位"),
    "sl_multiplier": ("breaker x", "等待熔断 x"),
    "sl_vip": ("VIP share", "贵宾比例"),
    "sl_speed": ("speed", "速度"),
    "bt_model": ("model: {}", "模型: {}"),
    "bt_outage": ("outage 10m", "故障10分"),
    "bt_pause": ("pause dispatch", "暂停派单"),
    "bt_resume": ("resume dispatch", "恢复派单"),
    "bt_clear": ("clear queue", "清空队列"),
    "bt_rent": ("rent +5", "租用 +5"),
    "bt_return": ("return -5", "归还 -5"),
    "bt_autoscaler": ("autoscaler {}", "自动扩容 {}"),
    "on": ("ON", "开"),
    "off": ("OFF", "关"),
    "bt_reset": ("reset: new seed", "重置: 新种子"),
    "bt_scenario": ("scenario: {}", "场景: {}"),
    "bt_lang": ("中文", "English"),
    "bt_help": ("help [H]", "帮助 [H]"),
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
    "st_inside": ("inside", "馆内"),
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
    "help_model": ("1-4    choose model", "1-4    选择模型"),
    "help_outage": ("O      outage on model", "O      模型故障"),
    "help_dispatch": ("P      pause/resume dispatch", "P      暂停/恢复派单"),
    "help_clear": ("C      clear queue (refund)", "C      清空队列(退款)"),
    "help_rent": ("R / T  rent / return slots", "R / T  租用 / 归还槽位"),
    "help_auto": ("A      autoscaler on/off", "A      自动扩容 开/关"),
    "help_reset": ("N      reset with a new seed", "N      新种子重置"),
    "help_scenario": ("S      next scenario", "S      下一个场景"),
    "help_lang": ("L      English / 中文", "L      English / 中文"),
    "help_help": ("H      this help (Esc closes)", "H      本帮助(Esc 关闭)"),
    "help_hover": ("Hover a person or a machine for details.",
                   "鼠标悬停在人或机器上查看详情。"),
    "help_legend": ("Shirt = tier L1..L4, crown = VIP, bar = wait, ! = asked",
                    "衣服颜色=等级, 皇冠=贵宾, 条=等待, !=被询问"),
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
    "refunded_failure": ("failure", "失败"),
    "refunded_abandon": ("abandon", "放弃"),
    "refunded_cancel": ("cancel", "取消"),
    "mean_wait": ("mean wait", "平均等待"),
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
    text = pair[1] if lang == "zh" else pair[0]
    return text.format(*args) if args else text


def word(key: str, lang: str, table: dict[str, tuple[str, str]] = WORDS) -> str:
    """A short domain word (reason, state, content) in ``lang``; unknown words pass through."""
    pair = table.get(key)
    if pair is None:
        return str(key)
    return pair[1] if lang == "zh" else pair[0]


def all_text() -> str:
    """Every character any label can show, for the font subset."""
    parts = []
    for table in (STRINGS, CONTENT, WORDS):
        for en, zh in table.values():
            parts.append(en)
            parts.append(zh)
    return "".join(parts)
