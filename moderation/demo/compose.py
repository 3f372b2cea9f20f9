"""Turn the demo's texts into titles, bodies and replies: no database, only a seeded rng.

Devices are passed in as objects with `zh_name` and `build_code` set by the builder.
"""

import re

from accounts.models import FirmwareChannel
from forum.models import ThreadType

from .catalogue import ALL_DEVICES, KIND_TYPES
from .texts import (
    ANNOUNCEMENTS,
    BAD,
    BUG_TITLES,
    CATEGORY_ZH,
    CHANGES,
    DISCUSSIONS,
    FEEDBACK_TITLES,
    GOOD,
    GUIDES,
    ISSUES,
    KNOWN_ISSUES,
    OFFTOPIC,
    OP_REPLIES,
    QUESTIONS,
    RELEASE_TITLES,
    REPLIES,
    TRIED,
    VERDICTS,
)

QUOTE_CHANCE = 0.25

HAN = re.compile(r"[\u4e00-\u9fff]")
_LIST_MARK = re.compile(r"^(?:[-*]|\d+\.)\s+")
_FIELD = re.compile(r"^\*\*[^*]+[:：]\*\*")  # "**Device:** …" lines make poor quotes


def capitalized(title: str) -> str:
    return title[:1].upper() + title[1:]


def literal(text: str) -> str:
    """Finished text: escape braces so a later .format() leaves it as it is."""
    return text.replace("{", "{{").replace("}", "}}")


def excerpt(source: str, limit: int = 80) -> str:
    """The first plain line of a post, for a quote: no headings, code or quotes."""
    in_code = False
    for raw in source.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line or line[0] in "#>|" or _FIELD.match(line):
            continue
        # Plain words only, so cutting it short can't leave half a **bold**.
        line = _LIST_MARK.sub("", line).replace("*", "").replace("`", "")
        return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return "…"


class Writer:
    """Writes threads and replies in English or Chinese for the boards' kinds."""

    def __init__(self, rng, devices: dict):
        self.rng = rng
        self.devices = devices  # codename -> Device with zh_name and build_code
        self.announcements = list(ANNOUNCEMENTS)
        self.digests = 0

    # -- placeholders ----------------------------------------------------

    def names(self, device, lang: str, version: str = "") -> dict:
        """Values for the text templates, in the language being written."""
        other = self.rng.choice([d for d in self.devices.values() if d.pk != device.pk])
        version = version or self.stable_version(device)
        if version.endswith(".DEV"):  # a developer build such as OS1.0.24.3.12.DEV
            version = f"{'开发版' if lang == 'zh' else 'beta'} {version}"
        return {
            "device": str(device),
            "device_zh": device.zh_name,
            "other": str(other),
            "other_zh": other.zh_name,
            "version": version,
            "week": self.rng.randint(1, 52),
        }

    def stable_version(self, device) -> str:
        if self.rng.random() < 0.6:
            return f"OS1.0.{self.rng.randint(1, 12)}.0.{device.build_code}"
        return f"V14.0.{self.rng.randint(1, 30)}.0.{device.build_code}"

    def beta_version(self) -> str:
        return f"OS1.0.24.{self.rng.randint(1, 6)}.{self.rng.randint(1, 28)}.DEV"

    # -- threads -----------------------------------------------------------

    def thread(self, board_spec: dict, channel: str, lang: str, thread_type=None) -> dict:
        """A thread for a board: {"lang", "kind" (of replies), "pin", "fields"}."""
        rng = self.rng
        kind = board_spec["kind"]
        if kind == "announcements":
            return self.announcement()
        device = self.devices[rng.choice(board_spec["devices"])]
        if thread_type is None:
            types, weights = zip(*KIND_TYPES[kind], strict=True)
            thread_type = rng.choices(types, weights)[0]
        beta = channel == FirmwareChannel.BETA or (kind == "bugs" and rng.random() < 0.3)
        raw_version = self.beta_version() if beta else self.stable_version(device)
        names = self.names(device, lang, raw_version)
        zh = lang == "zh"

        reply_kind = thread_type.value
        if thread_type == ThreadType.RELEASE:
            title, body = self._release(names, beta, zh)
        elif thread_type == ThreadType.BUG:
            title, body = self._bug(names, zh)
        elif thread_type == ThreadType.FEEDBACK:
            title, body = self._feedback(names, zh)
        else:
            if thread_type == ThreadType.GUIDE:
                choices = GUIDES
            elif kind == "guides":
                choices, reply_kind = QUESTIONS, "help"
            else:
                choices, reply_kind = (OFFTOPIC if kind == "offtopic" else DISCUSSIONS), "chat"
            en_title, en_body, zh_title, zh_body = rng.choice(choices)
            title, body = (zh_title, zh_body) if zh else (en_title, en_body)

        tagged = thread_type in (ThreadType.RELEASE, ThreadType.BUG, ThreadType.FEEDBACK)
        return {
            "lang": lang,
            "kind": reply_kind,
            "pin": False,
            "fields": {
                "title": capitalized(title.format(**names)),
                "body": body.format(**names),
                "thread_type": thread_type,
                "device": None if kind == "offtopic" else device,
                "firmware_version": raw_version if tagged else "",
            },
        }

    def announcement(self) -> dict:
        if self.announcements:
            title, body, pin = self.announcements.pop(0)
        else:
            self.digests += 1
            n, pin = self.digests, False
            if n % 2:
                title = f"Weekly digest #{n}: threads you shouldn't miss"
                body = (
                    "This week on Popcorn:\n\n"
                    "1. A new stable build for the Xiaomi 14 family, see **Stable firmware**\n"
                    "2. A battery guide worth reading in **Guides**\n"
                    "3. Beta testers found a Bluetooth regression; details in the lounge\n\n"
                    "Thanks to everyone who filed clear bug reports!"
                )
            else:
                title = f"社区周报 第 {n} 期"
                body = (
                    "本周看点：\n\n"
                    "1. 小米 14 系列新稳定版推送，详见**稳定版**版块\n"
                    "2. **教程**版块新增一篇省电指南\n"
                    "3. 内测群友发现蓝牙回退问题，详情见内测交流区\n\n"
                    "感谢每一位认真反馈问题的机友！"
                )
        return {
            "lang": "zh" if HAN.search(title) else "en",
            "kind": "announcement",
            "pin": pin,
            "fields": {
                "title": title,
                "body": body,
                "thread_type": ThreadType.DISCUSSION,
                "device": None,
                "firmware_version": "",
            },
        }

    def _release(self, n: dict, beta: bool, zh: bool) -> tuple[str, str]:
        rng = self.rng
        en_title, zh_title = rng.choice(RELEASE_TITLES[beta])
        size = rng.randint(300, 900) if rng.random() < 0.7 else rng.randint(5200, 6400)
        patch = f"2024-{rng.randint(1, 12):02d}-01"
        if zh:
            intro = (
                f"{n['device_zh']} 开发版内测推送，安装包大小 **{size} MB**。"
                "可能存在不稳定的情况，主力机请谨慎升级。"
                if beta
                else f"{n['device_zh']} 稳定版分批推送中，安装包大小 **{size} MB**。"
                "可在 *设置 → 我的设备* 中点击**检查更新**。"
            )
            lines = [f"## {n['version']} 更新内容", "", intro, ""]
        else:
            intro = (
                f"A build for registered beta testers on the {n['device']}. "
                f"Package size: **{size} MB**. Expect rough edges; not for your only phone."
                if beta
                else f"Rolling out in batches to the {n['device']}. Package size: **{size} MB**. "
                "Check *Settings → About phone* and tap **Check for updates**."
            )
            lines = [f"## What's new in {n['version']}", "", intro, ""]
        for category in ["System", *rng.sample(["Camera", "Connectivity", "Battery"], 2)]:
            lines.append(f"### {CATEGORY_ZH[category] if zh else category}")
            for en, zh_text in rng.sample(CHANGES[category], rng.randint(1, 3)):
                lines.append("- " + (zh_text if zh else en).format(patch=patch))
            lines.append("")
        if rng.random() < 0.6:
            lines.append("### 已知问题" if zh else "### Known issues")
            for en, zh_text in rng.sample(KNOWN_ISSUES, rng.randint(1, 2)):
                lines.append(f"- {zh_text if zh else en}")
            lines.append("")
        lines.append(
            "升级前请备份，遇到问题请到**问题反馈**版块发帖，并写明完整版本号。"
            if zh
            else "Back up before updating, and report problems in **Bug reports** "
            "with your full firmware version."
        )
        return (zh_title if zh else en_title), literal("\n".join(lines))

    def _bug(self, n: dict, zh: bool) -> tuple[str, str]:
        rng = self.rng
        issue_en, issue_zh, trigger_en, trigger_zh = rng.choice(ISSUES)
        en_title, zh_title = rng.choice(BUG_TITLES)
        tried = rng.sample(TRIED, 2)
        version = n["version"]
        if zh:
            title = zh_title.replace("{issue}", issue_zh)
            body = (
                f"**机型：** {n['device_zh']}\n**系统版本：** `{version}`\n\n"
                f"### 问题描述\n升级到这个版本以后，{issue_zh}，每次{trigger_zh}都会出现。\n\n"
                f"### 复现步骤\n1. 升级到 {version}\n2. {trigger_zh}\n3. 等几分钟\n\n"
                f"### 已尝试\n- {tried[0][1]}\n- {tried[1][1]}\n\n有没有同样情况的机友？"
            )
        else:
            title = en_title.replace("{issue}", issue_en)
            body = (
                f"**Device:** {n['device']}\n**Firmware:** `{version}`\n\n"
                f"### What happens\n{issue_en} since the update. "
                f"It happens every time I {trigger_en}.\n\n"
                f"### Steps to reproduce\n1. Update to {version}\n"
                f"2. {trigger_en[0].upper()}{trigger_en[1:]}\n3. Wait a few minutes\n\n"
                f"### Already tried\n- {tried[0][0]}\n- {tried[1][0]}\n\n"
                "Anyone else seeing this?"
            )
        return title, literal(body)

    def _feedback(self, n: dict, zh: bool) -> tuple[str, str]:
        rng = self.rng
        en_title, zh_title = rng.choice(FEEDBACK_TITLES)
        days = rng.randint(2, 21)
        good, bad = rng.sample(GOOD, 2), rng.choice(BAD)
        verdict = rng.choice(VERDICTS)
        if zh:
            body = (
                f"{n['device_zh']} 升级 {n['version']} 用了 {days} 天，说说感受。\n\n"
                f"**好的地方：**\n- {good[0][1]}\n- {good[1][1]}\n\n"
                f"**不足：**\n- {bad[1]}\n\n总结：{verdict[1]}。"
            )
            title = zh_title
        else:
            body = (
                f"Been on {n['version']} for {days} days on my {n['device']}.\n\n"
                f"**Good:**\n- {good[0][0]}\n- {good[1][0]}\n\n"
                f"**Not so good:**\n- {bad[0]}\n\nOverall: {verdict[0]}."
            )
            title = en_title
        return title.replace("{days}", str(days)), literal(body)

    # -- replies -----------------------------------------------------------

    def reply(self, *, story, author, lang: str, op_back: bool) -> str:
        """A reply to `story` (the builder's record of a thread) by `author` in `lang`."""
        rng = self.rng
        device = story.device or self.devices[rng.choice(ALL_DEVICES)]
        pool = OP_REPLIES[story.kind] if op_back else REPLIES[story.kind]
        names = self.names(device, lang, story.firmware_version)
        said = [source for _, _, source in story.floors]
        for _attempt in range(5):  # don't say the same thing twice in one thread
            text = rng.choice(pool)[lang == "zh"].format(**names)
            if not any(source.endswith(text) for source in said):
                break
        others = [f for f in story.floors if f[1] != author.username]
        if others and len(story.floors) >= 2 and rng.random() < QUOTE_CHANCE:
            floor, who, source = rng.choice(others)
            text = f"> **{who}** wrote on #{floor}:\n> {excerpt(source)}\n\n{text}"
        return text
