"""The demo's catalogue and cast: devices, sections and boards, members, roles.

Data only; moderation.demo.builder writes it through the services.
"""

from accounts.models import FirmwareChannel
from forum.models import Board, ThreadType

# brand, model, codename, Chinese name, build code in release strings
DEVICES = [
    ("Xiaomi", "14", "houji", "小米14", "UNCCNXM"),
    ("Xiaomi", "14 Pro", "shennong", "小米14 Pro", "UNBCNXM"),
    ("Xiaomi", "14 Ultra", "aurora", "小米14 Ultra", "UNACNXM"),
    ("Redmi", "K70", "vermeer", "红米 K70", "UNKCNXM"),
    ("Redmi", "Note 13 Pro", "garnet", "红米 Note 13 Pro", "UNRCNXM"),
]
XIAOMI_14 = ("houji", "shennong", "aurora")
REDMI = ("vermeer", "garnet")
ALL_DEVICES = XIAOMI_14 + REDMI

# Each board: what its threads are about ("kind"), which devices they are
# tagged with, and how often a new thread lands there ("weight").
SECTIONS = [
    {
        "name": "Xiaomi 14 series",
        "slug": "xiaomi-14-series",
        "description": "Xiaomi 14, 14 Pro and 14 Ultra: firmware, bugs and guides.",
        "boards": [
            {
                "name": "Stable firmware",
                "slug": "xiaomi-14-stable",
                "description": "Stable HyperOS releases for the Xiaomi 14 family and how they run.",
                "channel": FirmwareChannel.STABLE,
                "kind": "stable",
                "devices": XIAOMI_14,
                "weight": 20,
            },
            {
                "name": "Beta firmware",
                "slug": "xiaomi-14-beta",
                "description": "Weekly beta builds: changelogs and first impressions.",
                "channel": FirmwareChannel.BETA,
                "kind": "beta",
                "devices": XIAOMI_14,
                "weight": 14,
            },
            {
                "name": "Bug reports",
                "slug": "xiaomi-14-bugs",
                "description": "One bug per thread, with your device and full firmware version.",
                # New threads here start as bug reports, with the report's template.
                "default_thread_type": ThreadType.BUG,
                "kind": "bugs",
                "devices": XIAOMI_14,
                "weight": 18,
            },
            {
                "name": "Guides",
                "slug": "xiaomi-14-guides",
                "description": "Unlocking, flashing, debloating and battery tips.",
                "kind": "guides",
                "devices": XIAOMI_14,
                "weight": 7,
            },
        ],
    },
    {
        "name": "Redmi",
        "slug": "redmi",
        "description": "Redmi phones: firmware, bugs and everything else.",
        "boards": [
            {
                "name": "Redmi K70",
                "slug": "redmi-k70",
                "description": "Redmi K70 (vermeer): updates, bugs and tips.",
                "device": "vermeer",
                "kind": "device",
                "devices": ("vermeer",),
                "weight": 10,
            },
            {
                "name": "Redmi Note 13 Pro",
                "slug": "redmi-note-13-pro",
                "description": "Redmi Note 13 Pro (garnet): updates, bugs and tips.",
                "device": "garnet",
                "kind": "device",
                "devices": ("garnet",),
                "weight": 10,
            },
        ],
    },
    {
        "name": "Community",
        "slug": "community",
        "description": "News from the team, and everything that isn't firmware.",
        "boards": [
            {
                "name": "Announcements",
                "slug": "announcements",
                "description": "News and rules from the Popcorn team.",
                "posting": Board.Posting.STAFF,
                "kind": "announcements",
                "devices": ALL_DEVICES,
                "weight": 3,
            },
            {
                "name": "Off-topic",
                "slug": "off-topic",
                "description": "Photos, music, food, anything at all. Be kind.",
                "kind": "offtopic",
                "devices": ALL_DEVICES,
                "weight": 10,
            },
            {
                "name": "Beta testers lounge",
                "slug": "beta-testers-lounge",
                "description": "For signed-in beta testers: early builds and what to test next.",
                "visibility": Board.Visibility.MEMBERS,
                "channel": FirmwareChannel.BETA,
                "kind": "lounge",
                "devices": ALL_DEVICES,
                "weight": 8,
            },
        ],
    },
]

KIND_TYPES = {
    "stable": [
        (ThreadType.RELEASE, 3),
        (ThreadType.FEEDBACK, 3),
        (ThreadType.DISCUSSION, 3),
        (ThreadType.BUG, 1),
    ],
    "beta": [
        (ThreadType.RELEASE, 3),
        (ThreadType.FEEDBACK, 3),
        (ThreadType.BUG, 3),
        (ThreadType.DISCUSSION, 1),
    ],
    "bugs": [(ThreadType.BUG, 1)],
    "guides": [(ThreadType.GUIDE, 3), (ThreadType.DISCUSSION, 2)],  # guides and questions
    "device": [
        (ThreadType.RELEASE, 2),
        (ThreadType.BUG, 3),
        (ThreadType.GUIDE, 1),
        (ThreadType.FEEDBACK, 1),
        (ThreadType.DISCUSSION, 3),
    ],
    "announcements": [(ThreadType.DISCUSSION, 1)],
    "offtopic": [(ThreadType.DISCUSSION, 1)],
    "lounge": [(ThreadType.FEEDBACK, 2), (ThreadType.BUG, 2), (ThreadType.DISCUSSION, 1)],
}

# --------------------------------------------------------------------------
# Members: (username, display name, language they mostly write in)
# --------------------------------------------------------------------------

ENGLISH_MEMBERS = [
    ("leo_chen", "Leo Chen"),
    ("mia_w", "Mia W."),
    ("kernelkev", "Kernel Kev"),
    ("sam_fastboot", "Sam"),
    ("ola.nordmann", "Ola"),
    ("priya_r", "Priya R."),
    ("tomasz", "Tomasz K."),
    ("lucia.m", "Lucía M."),
    ("jonas_b", "Jonas"),
    ("aiko", "Aiko"),
    ("noah_dev", "Noah"),
    ("emma.lee", "Emma Lee"),
    ("carlos_rom", "Carlos"),
    ("fatima_z", "Fatima Z."),
    ("ivan_p", "Ivan P."),
    ("grace_h", "Grace H."),
    ("mateo", "Mateo"),
    ("sofia.r", "Sofia R."),
    ("dan_the_tester", "Dan the tester"),
    ("olivia_k", "Olivia K."),
    ("hugo.b", "Hugo B."),
    ("nina_m", "Nina"),
    ("arjun_s", "Arjun S."),
    ("zoe_q", "Zoë Q."),
]
CHINESE_MEMBERS = [
    ("xiaowang", "米粉小王"),
    ("pengpai_fan", "澎湃OS爱好者"),
    ("lin_yi", "林一"),
    ("chenxi", "晨曦"),
    ("zhang_wei", "张伟"),
    ("liu_yang", "刘洋"),
    ("laoli_mifen", "老李是米粉"),
    ("shuaji_daren", "刷机达人"),
    ("wang_fang", "王芳"),
    ("huang_lei", "黄磊不是明星"),
    ("zhao_min", "赵敏"),
    ("sun_hao", "孙浩"),
    ("neice_yuan", "开发版内测员"),
    ("yezi", "叶子"),
    ("xu_ming", "徐明"),
    ("guo_jing", "郭静"),
    ("he_tian", "何甜"),
    ("ma_chao", "马超"),
    ("qingfeng", "清风"),
    ("xiaoyu", "小雨"),
    ("dongdong", "东东"),
    ("luo_bin", "罗斌"),
    ("tangyuan", "汤圆"),
    ("jiang_hai", "江海"),
]
SIGNATURES = [
    "{device} · {version}",
    "Daily driver: {device}. Back up before you flash.",
    "Beta tester since MIUI 9",
    "{device_zh} · {version}",
    "主力机 {device_zh}，刷机有风险，操作需谨慎",
    "米粉十年，一直在路上",
]

# --------------------------------------------------------------------------
# The cast: one login per role, so a newcomer can try every side of the site.
# Listed in the README; never used outside demo data.
# --------------------------------------------------------------------------

FAN_PASSWORD = "popcorn-fan"  # noqa: S105  (every member not in the cast)

# username, password, display name, language, role, days since joining
CAST = [
    ("admin", "popcorn-admin", "Popcorn team", "both", "staff", 1000),
    ("demo", "popcorn-demo", "Demo Fan", "en", "inviter", 400),
    ("corefan", "popcorn-core", "Core Fan", "en", "core", 700),
    ("boardmod", "popcorn-boardmod", "Bug triager", "en", "board_moderator", 600),
    ("sectionmod", "popcorn-sectionmod", "红米版主", "zh", "section_moderator", 650),
    ("globalmod", "popcorn-globalmod", "Global moderator", "both", "global_moderator", 800),
    ("newfan", "popcorn-newfan", "New Fan", "en", "newcomer", 0),
]
# Where the board and section moderators moderate (slugs of SECTIONS).
BOARD_MODERATED = "xiaomi-14-bugs"
SECTION_MODERATED = "redmi"

# The early-access programme and who ends up where in it.
PROGRAM = {
    "name": "Xiaomi 14 closed beta · HyperOS 3.1",
    "slug": "x14-hyperos31-beta",
    "description": "Weekly HyperOS 3.1 builds before release; bugs go to the beta board.",
    "seats": 20,
    "min_days_active_30d": 12,
    "board": "beta-testers-lounge",
}
PROGRAM_REMOVAL_REASON = "Inactive since the first build: the seat goes to someone testing."

# What the new fan writes on their first day: two links in a first post, so the
# real approval rule holds it for a moderator.
HELD_POSTS = [
    (
        "xiaomi-14-guides",
        "Where do I download the official ROMs?",
        "Hi all, just got my first Xiaomi! Are these the right places for the ROMs?\n\n"
        "- https://example.com/roms/houji\n- https://example.org/mirror/houji\n\n"
        "Thanks!",
    ),
]
HELD_REPLIES = [
    "Try these, they helped me: https://example.com/fix and https://example.net/fix-2",
    "如果还不行可以看看 https://example.com/guide 和 https://example.cn/faq",
]

# Reports left open in the queue: (reason, text).
OPEN_REPORTS = [
    ("spam", "Advertising a shop in every thread."),
    ("off_topic", ""),
    ("abuse", "Personal attack on the thread's starter."),
    ("wrong_board", "A firmware question in the bug board."),
]
DISMISSED_REPORT = ("abuse", "", "Blunt, but not abusive: it stays.")
UPHELD_REPORT = ("spam", "Link farm.", "Spam: hidden.")

# A few sanctions, written by the moderators through the sanction services.
# The global moderator's watched words and bans (issue 15), kept on the last evening:
# one Chinese word for each action, and a regular expression. (pattern, kind, action, note)
WATCHED_WORDS = [
    ("代购", "word", "block", "Resellers' adverts."),
    ("垃圾", "word", "replace", "Keep it civil."),
    ("加微信", "word", "approve", "Moving deals off the forum."),
    ("刷机包", "word", "flag", "Unofficial ROMs: check the link is safe."),
    (r"qq\s*\d{5,}", "regex", "approve", "QQ numbers in posts."),
]
# (range, reason, days until it expires or None)
BANNED_NETWORKS = [("203.0.113.0/24", "Sign-up spam from one hosting network.", 30)]
BANNED_DOMAINS = [("mailinator.com", "Throwaway addresses.", None)]
# A reply written after the words were added: it is published and reported by the system.
FLAGGED_REPLY = "有人有官方刷机包吗？我的更新一直失败。"

WARNING_REASON = "Please keep bug reports to one bug per thread."
SILENCE_REASON = "Repeated off-topic posts in the bug board after a warning."

# Private messages, a bookmark and a block (issue 15), written on the last day:
# (starter role, recipient role, subject, [(who, text), ...]); "starter" / "recipient".
CONVERSATIONS = [
    (
        "inviter",
        "core",
        "14.0.3 刷机求助",
        [
            ("starter", "大佬，14.0.3 卡刷包刷完一直卡在开机动画，要不要先清数据？"),
            ("recipient", "先进 Recovery 清一下缓存，不行再**双清**。记得先备份！"),
            ("starter", "清缓存就好了，感谢🙏"),
        ],
    ),
    (
        "newcomer",
        "inviter",
        "Thanks for the invitation",
        [("starter", "Thanks for the code! Which board is best for beta feedback?")],
    ),
]
WARNING_MESSAGE = (
    "关于你在 Bug 反馈版的帖子",
    "请一个帖子只反馈一个 Bug，并附上固件版本和复现步骤。多次违规将被禁言。",
)
REPORTED_MESSAGE = "加我微信，低价出售解锁码，包售后！"
BOOKMARK_NOTE = "刷机前看这一楼"
# The demo member's drafts: a reply and a new thread, half written.
REPLY_DRAFT = "同样的问题，我试了清除缓存，还没好。等我再试试 **双清** 之后"
THREAD_DRAFT = ("升级后蓝牙耳机断连", "升级到新版本后，蓝牙耳机每隔几分钟就断开一次。\n\n机型：")
# The programme opens for applications: the form's questions and the quiz bank (shown to
# Chinese fans as written), the rules, and who applies how.
PROGRAM_APPLY_RULES = {
    "accepting_applications": True,
    "auto_accept": False,
    "quiz_per_day": 3,
    "quiz_pass_mark": 2,
    "weekly_bug_reports_with_log": 1,
    "weekly_missed_limit": 2,
    "deduct_removed_post": 10,
    "deduct_upheld_report": 20,
    "deduct_silence": 30,
}
PROGRAM_QUESTIONS = [
    "你日常使用哪台设备？用了多久？",
    "为什么想参加这次内测？你打算每周测试哪些功能？",
]
PROGRAM_QUIZ = [
    {
        "text": "反馈系统卡顿时，最有用的附件是？",
        "choices": ["截图", "系统日志", "视频"],
        "answer": 1,
    },
    {"text": "内测版本可以分享给内测群以外的人吗？", "choices": ["可以", "不可以"], "answer": 1},
    {
        "text": "提交 Bug 前应该先做什么？",
        "choices": ["搜索是否已有相同反馈", "直接发帖", "私信版主"],
        "answer": 0,
    },
    {
        "text": "抓取日志的常用方式是？",
        "choices": ["反馈 App 一键上传", "恢复出厂设置"],
        "answer": 0,
    },
    {
        "text": "复现步骤应该写得？",
        "choices": ["越简单越好，一句话", "具体到每一步和出现频率"],
        "answer": 1,
    },
    {
        "text": "发现严重 Bug（如无法开机）应该？",
        "choices": ["等下周再说", "尽快反馈并附日志"],
        "answer": 1,
    },
]
PROGRAM_APPLY_ANSWERS = [
    "小米14，用了一年多，每天重度使用相机和导航。",
    "想提前体验新版本，每周测试相机、蓝牙和续航，并附日志反馈。",
]
PROGRAM_REJECT_REASON = "近 30 天活跃天数不足，且答卷未说明测试计划；欢迎活跃一段时间后再申请。"
