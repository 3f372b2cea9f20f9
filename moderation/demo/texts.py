"""The demo's texts, in English and Chinese: every piece is an (en, zh) pair.

Data only. moderation.demo.compose fills the {placeholders} (device, version,
week, ...) and picks among them with the builder's seeded random generator.
"""

CHANGES = {
    "System": [
        ("Improved overall system stability and smoothness", "优化系统稳定性与流畅度"),
        ("Fixed status bar icons overlapping in landscape", "修复横屏时状态栏图标重叠的问题"),
        ("Updated the Android security patch to {patch}", "Android 安全补丁更新至 {patch}"),
        ("Reduced app cold-start time", "优化应用冷启动速度"),
        (
            "Fixed the notification shade stuttering with many notifications",
            "修复通知较多时下拉通知栏卡顿的问题",
        ),
    ],
    "Camera": [
        ("Faster night mode processing", "提升夜景模式成片速度"),
        ("Fixed a crash when switching to the telephoto lens", "修复切换长焦镜头时闪退的问题"),
        ("More natural skin tones in portrait mode", "优化人像模式肤色表现"),
        ("Fixed a green tint in some indoor photos", "修复部分室内场景照片偏绿的问题"),
    ],
    "Connectivity": [
        ("Better 5G stability in weak-coverage areas", "提升弱信号环境下的 5G 网络稳定性"),
        ("Fixed Wi-Fi disconnecting after the screen turns off", "修复息屏后 Wi-Fi 断开的问题"),
        ("More stable Bluetooth LDAC connections", "优化蓝牙 LDAC 连接稳定性"),
        (
            "Fixed NFC transit cards occasionally not being detected",
            "修复偶现 NFC 交通卡无法识别的问题",
        ),
    ],
    "Battery": [
        ("Lower standby power consumption", "优化待机功耗"),
        ("Less heat while gaming", "降低游戏时的发热"),
        ("Faster charging at high temperatures", "优化高温环境下的充电速度"),
    ],
}
CATEGORY_ZH = {"System": "系统", "Camera": "相机", "Connectivity": "网络与连接", "Battery": "电池"}
KNOWN_ISSUES = [
    ("Some third-party launchers may reset the icon layout", "部分第三方桌面可能出现图标布局重置"),
    ("Always-on display may not show after a reboot", "重启后息屏显示可能不生效"),
    ("Dual-app WeChat may ask you to sign in again", "微信分身可能需要重新登录"),
]
# Developer builds are shown as "beta OS1.0.24.3.12.DEV" / "开发版 …", so titles don't say it again.
RELEASE_TITLES = {
    False: [
        ("{device} {version} stable update is rolling out", "{device_zh} {version} 稳定版更新日志"),
        ("[Changelog] {device} {version}", "【更新】{device_zh} 推送 {version}"),
        ("{version} for the {device}: full changelog", "{device_zh} {version} 完整更新内容"),
    ],
    True: [
        ("{device} {version} changelog", "{device_zh} {version} 更新内容"),
        ("{version} is out for the {device}", "【内测】{device_zh} {version} 已推送"),
    ],
}

ISSUES = [
    (
        "Battery drains overnight on standby",
        "夜间待机耗电严重",
        "leave it on Wi-Fi overnight",
        "晚上连着 Wi-Fi 放一晚",
    ),
    (
        "Camera crashes when switching to 5x",
        "相机切到 5 倍焦段闪退",
        "tap 5x in the camera",
        "在相机里点 5 倍",
    ),
    (
        "Wi-Fi disconnects after the screen turns off",
        "息屏后 Wi-Fi 自动断开",
        "lock the screen for a few minutes",
        "锁屏几分钟",
    ),
    (
        "5G keeps dropping back to 4G",
        "5G 信号频繁掉到 4G",
        "walk between rooms at home",
        "在家里换个房间",
    ),
    ("Fingerprint unlock got slow", "指纹解锁明显变慢", "unlock from standby", "从待机状态解锁"),
    (
        "Bluetooth audio stutters with LDAC",
        "蓝牙耳机 LDAC 断断续续",
        "play music with the phone in my pocket",
        "手机放口袋里听歌",
    ),
    (
        "Phone gets hot while charging",
        "充电时机身发烫",
        "use the bundled 90W charger",
        "用原装 90W 充电器",
    ),
    (
        "WeChat notifications arrive late",
        "微信消息通知延迟",
        "leave WeChat in the background",
        "把微信放在后台",
    ),
    ("GPS drifts during navigation", "导航时 GPS 定位漂移", "navigate in the city", "在市区导航"),
    (
        "Screen flickers at low brightness",
        "低亮度下屏幕闪烁",
        "set brightness below 20%",
        "把亮度调到 20% 以下",
    ),
    (
        "Always-on display disappears after a few minutes",
        "息屏显示几分钟后消失",
        "lock the phone with AOD on",
        "开着息屏显示锁屏",
    ),
    (
        "NFC transit card is not detected",
        "NFC 交通卡刷不出来",
        "tap in at the metro gate",
        "在地铁闸机刷卡",
    ),
    ("Keyboard lags in landscape", "横屏打字输入法卡顿", "type in landscape", "横屏打字"),
]
BUG_TITLES = [
    ("[{device}] {issue} ({version})", "【{device_zh}】{version} {issue}"),
    ("{issue} after updating to {version}", "升级到 {version}，{issue}"),
    ("{device} on {version}: {issue}", "{issue}（{device_zh} / {version}）"),
]
TRIED = [
    ("Rebooting", "重启手机"),
    ("Clearing the app's cache", "清除应用缓存"),
    ("Resetting network settings", "重置网络设置"),
    ("Turning battery saver off", "关闭省电模式"),
    ("Safe mode (same result)", "安全模式（一样会出现）"),
    ("A factory reset, which changed nothing", "恢复出厂设置，没有用"),
]

GUIDES = [
    (
        "How to unlock the bootloader on the {device}",
        """Unlocking wipes the phone. **Back up first.**

## Before you start
- A Mi account signed in on the phone for at least 7 days
- *Developer options → OEM unlocking* switched on
- A PC with `platform-tools` installed

## Steps
1. Reboot to fastboot: power off, then hold **Volume down + Power**.
2. Check the phone is seen:

```sh
fastboot devices
fastboot oem device-info
```

3. Run the unlock tool, sign in and wait out the waiting period.
4. Confirm on the phone. It reboots wiped and unlocked.

## Troubleshooting
- *"Couldn't verify"*: the account is too new; wait and try again.
- Not detected: try a USB 2.0 port and a different cable.""",
        "{device_zh} 解锁 Bootloader 完整教程",
        """解锁会清空手机数据，**请先备份**。

## 准备工作
- 手机登录小米账号满 7 天
- 打开 *开发者选项 → OEM 解锁*
- 电脑装好 `platform-tools`

## 步骤
1. 关机后按住 **音量下 + 电源** 进入 fastboot。
2. 确认电脑识别到手机：

```sh
fastboot devices
fastboot oem device-info
```

3. 打开解锁工具，登录账号，等待解锁等待期结束。
4. 手机上确认，重启后即已解锁并清空数据。

## 常见问题
- 提示*账号无法验证*：账号太新，过几天再试。
- 识别不到：换 USB 2.0 接口或换根数据线。""",
    ),
    (
        "{device}: flashing a stable ROM with fastboot without losing data",
        """This is for going back to a **stable** build from a beta, keeping your data.

## You need
- An unlocked bootloader
- The fastboot ROM for your exact device ({device}) and region

## Steps
1. Extract the ROM and open a terminal in its folder.
2. Reboot to fastboot and run the script that keeps storage:

```sh
fastboot devices
./flash_all_except_storage.sh
```

3. Don't unplug until the phone reboots by itself (first boot takes ~10 minutes).

> Never run `flash_all_lock.sh` unless you really want to relock: it wipes the phone.""",
        "{device_zh} 线刷官方稳定版教程（保留数据）",
        """适合从开发版回到**稳定版**并保留数据。

## 需要
- 已解锁 Bootloader
- 与机型（{device_zh}）和地区完全对应的线刷包

## 步骤
1. 解压线刷包，在该目录下打开终端。
2. 手机进入 fastboot，执行保留数据的脚本：

```sh
fastboot devices
./flash_all_except_storage.sh
```

3. 手机自动重启前不要拔线，首次开机大约 10 分钟。

> 除非确定要回锁，不要运行 `flash_all_lock.sh`，它会清空全部数据。""",
    ),
    (
        "Removing bloatware from the {device} with adb (a safe list)",
        """No root needed; everything can be restored with `cmd package install-existing`.

## Set up
1. Turn on *USB debugging* in developer options.
2. Connect and authorise the PC.

## Safe to remove
```sh
adb shell pm uninstall --user 0 com.miui.analytics
adb shell pm uninstall --user 0 com.miui.msa.global
adb shell pm uninstall --user 0 com.xiaomi.mipicks
```

## Do not remove
- `com.miui.securitycenter` (breaks permissions)
- `com.android.updater` (no more OTA updates)

Tested on the {device}.""",
        "{device_zh} 用 ADB 精简系统预装应用",
        """无需 Root，卸载的应用都可以用 `cmd package install-existing` 恢复。

## 准备
1. 在开发者选项中打开 *USB 调试*。
2. 连接电脑并允许调试。

## 可以放心卸载
```sh
adb shell pm uninstall --user 0 com.miui.analytics
adb shell pm uninstall --user 0 com.miui.msa.global
adb shell pm uninstall --user 0 com.xiaomi.mipicks
```

## 千万别卸载
- `com.miui.securitycenter`（权限管理会失效）
- `com.android.updater`（收不到 OTA 更新）

已在 {device_zh} 上测试。""",
    ),
    (
        "Getting the best battery life on the {device}",
        """What actually helped, measured over two weeks on {version}.

## Settings
- **Display → Refresh rate**: *Default* (adaptive), not *High*
- **Battery → Battery saver**: leave off; use *Balanced*
- Turn off *Wi-Fi assistant* and *Nearby share* scanning

## Apps
1. Give chat apps *No restrictions*, everything else *Battery saver*.
2. Lock music and navigation apps in recents.

## Results
| Setup | Screen-on time |
| --- | ---: |
| Out of the box | 6h 10m |
| After these tweaks | 7h 45m |""",
        "{device_zh} 省电设置指南",
        """在 {version} 上实测两周，真正有用的设置如下。

## 系统设置
- **显示 → 屏幕刷新率**：选*默认*（自适应），不要锁*高*
- **电池 → 省电模式**：平时不开，用*均衡模式*
- 关闭 *WLAN 助理* 和*附近共享*扫描

## 应用
1. 聊天软件设为*无限制*，其他应用设为*省电*。
2. 音乐和导航软件在多任务里加锁。

## 结果
| 设置 | 亮屏时间 |
| --- | ---: |
| 默认 | 6 小时 10 分 |
| 调整后 | 7 小时 45 分 |""",
    ),
    (
        "{device}: reading your firmware version and region properly",
        """Bug reports need the **full** version string, e.g. `{version}`.

## Where to find it
*Settings → About phone*, tap the HyperOS card.

## What the parts mean
- `OS1.0.5.0` / `V14.0.3.0`: the release
- The code after the last dot: device and region (`CNXM` = China, `MIXM` = global, `EUXM` = EEA)

Post it in every bug report, along with the device.""",
        "{device_zh} 如何查看完整的系统版本号和地区",
        """反馈问题时请带上**完整**版本号，例如 `{version}`。

## 在哪里看
*设置 → 我的设备*，点击澎湃OS版本卡片。

## 各部分含义
- `OS1.0.5.0` / `V14.0.3.0`：版本号
- 最后一个点后面的代码：机型和地区（`CNXM` 国行，`MIXM` 国际版，`EUXM` 欧版）

每个问题反馈都请写上机型和版本号。""",
    ),
]

FEEDBACK_TITLES = [
    ("{version} after {days} days: feedback", "{version} 使用 {days} 天反馈"),
    ("Feedback on {version} for the {device}", "{device_zh} 升级 {version} 后的体验"),
    ("{version} feels smoother than the last build", "{version} 比上一版流畅多了"),
    ("Suggestion: let us reorder the control centre", "建议：控制中心支持自定义排列"),
    ("Please add an 80% charge limit option", "建议加入充电上限 80% 选项"),
]
GOOD = [
    ("Animations feel smoother", "动画更流畅了"),
    ("Standby drain went down noticeably", "待机耗电明显降低"),
    ("The camera opens faster", "相机启动更快"),
    ("Signal is more stable on the metro", "地铁里信号更稳了"),
    ("Face unlock is quicker in the dark", "暗光下人脸解锁更快"),
]
BAD = [
    ("The control centre still drops frames sometimes", "控制中心偶尔还是掉帧"),
    ("Some icons in Settings are misaligned", "设置里有些图标没对齐"),
    ("Game mode forgets my settings after a reboot", "重启后游戏模式设置会被重置"),
    ("Gets warm during long video calls", "长时间视频通话有点发热"),
]
VERDICTS = [
    ("worth the update", "值得升级"),
    ("a solid build; if you're busy, wait for the next one", "整体不错，不着急的可以等下一版"),
    ("fine, but not the big jump I hoped for", "还行，但没有想象中提升那么大"),
]

DISCUSSIONS = [
    (
        "Is the {device} worth it over the {other}?",
        "Torn between the two. I mostly take photos of my kids and play a bit of Genshin. "
        "Anyone who has used both, what would you pick?",
        "{device_zh} 和 {other_zh} 怎么选？",
        "两台都在考虑，平时主要拍娃，偶尔玩玩原神。两台都用过的朋友说说看，你会选哪个？",
    ),
    (
        "What case are you using on the {device}?",
        "The official one yellowed after a month. Looking for something slim that still "
        "covers the camera bump. Photos welcome!",
        "{device_zh} 大家都用什么手机壳？",
        "官方的壳一个月就发黄了，想找个薄一点、又能护住镜头的，欢迎晒图！",
    ),
    (
        "Share your {device} home screen",
        "Post a screenshot and the icon pack / widgets you use. Mine: default launcher, "
        "*Lawnicons*, a clock widget and nothing else.",
        "晒一晒你的 {device_zh} 桌面",
        "发截图，顺便说下用的图标包和小部件。我的：系统桌面 + 极简图标，只放一个时钟组件。",
    ),
    (
        "Fast charging every day: does it hurt the battery?",
        "I charge at 90W every morning. After a year the battery health still says **good**. "
        "Do you cap it, charge slowly overnight, or not care?",
        "天天快充伤电池吗？",
        "我每天早上 90W 快充，一年了电池健康还是**良好**。"
        "你们是限制充电，还是晚上慢充，还是无所谓？",
    ),
    (
        "Screen-on time on {version}? Post your numbers",
        "Mine is about 7h with 5G on and brightness on auto. What do you get?",
        "{version} 续航多少？来晒亮屏时间",
        "我 5G 常开、自动亮度，大概 7 小时亮屏。你们呢？",
    ),
    (
        "Which HyperOS feature do you use most?",
        "For me it's the floating windows and the clipboard sync with my laptop.",
        "澎湃OS 你最常用的功能是哪个？",
        "我是小窗和跨设备剪贴板，电脑手机来回复制太方便了。",
    ),
]
# Questions asked in the guides boards: (en title, en body, zh title, zh body).
QUESTIONS = [
    (
        "Can I relock the bootloader after going back to stable on the {device}?",
        "I flashed {version} with `flash_all_except_storage`. Is it safe to relock now, "
        "or will it bootloop?",
        "{device_zh} 刷回稳定版以后可以回锁吗？",
        "用 `flash_all_except_storage` 刷了 {version}，现在回锁安全吗？会不会卡开机？",
    ),
    (
        "Which fastboot ROM do I need for a global {device}?",
        "The download page lists several packages and I'm not sure which region mine is. "
        "Current version: `{version}`.",
        "{device_zh} 国际版应该下载哪个线刷包？",
        "下载页面有好几个包，不确定我的是哪个地区的。当前版本：`{version}`。",
    ),
    (
        "Stuck on the fastboot screen after flashing, help!",
        "Flashed {version} on my {device}, the script said *Finished* but it keeps booting "
        "back to fastboot. What now?",
        "刷机后卡在 fastboot 界面，求助！",
        "给 {device_zh} 刷了 {version}，脚本显示 *Finished*，但是一直回到 fastboot，怎么办？",
    ),
    (
        "Is it safe to uninstall MSA on the {device}?",
        "It keeps showing up in battery stats. Will removing it break anything?",
        "{device_zh} 可以卸载 MSA 吗？",
        "耗电排行里老是有它，卸载了会不会出问题？",
    ),
    (
        "How do I back up everything before unlocking the {device}?",
        "Photos are in the cloud, but I want chats and app data too. What do you use?",
        "{device_zh} 解锁前怎么完整备份数据？",
        "照片已经在云端了，但聊天记录和应用数据也想备份，大家都用什么方法？",
    ),
]
OFFTOPIC = [
    (
        "Weekend photo thread, week {week}: shot on the {device}",
        "Post your weekend shots. No edits beyond cropping, please, and say which lens.",
        "周末摄影贴（第 {week} 周）：{device_zh} 随手拍",
        "晒晒周末拍的照片，除了裁剪不要后期，顺便说下用的哪颗镜头。",
    ),
    (
        "What are you listening to? (week {week})",
        "Drop an album or a playlist. I've had the same three songs on repeat for days.",
        "第 {week} 周：这周大家在听什么歌？",
        "推荐一张专辑或者歌单吧，我这几天一直单曲循环那三首。",
    ),
    (
        "Best budget earbuds right now?",
        "Lost mine on the train. Under 300 CNY, decent ANC, works well with Xiaomi phones?",
        "三百块以内有什么好用的耳机？",
        "耳机在地铁上丢了。预算三百以内，降噪要过得去，和小米手机搭配好用的有推荐吗？",
    ),
    (
        "Anyone going to the Mi Fan Festival?",
        "Thinking of going this year. Would be fun to meet some of you in person.",
        "有没有一起去米粉节的？",
        "今年想去米粉节现场看看，有一起的吗？正好面基。",
    ),
    (
        "Post your dinner",
        "Tonight: hotpot. The 14 Ultra's food mode is dangerous for my diet.",
        "今天的晚饭晒一晒",
        "今晚火锅。14 Ultra 拍美食太好看了，减肥计划又泡汤。",
    ),
    (
        "Which smartwatch pairs best with the {device}?",
        "Looking at the Watch S3 and the Band 8 Pro. Notifications and sleep tracking matter most.",
        "{device_zh} 配什么手表好？",
        "在看 Watch S3 和手环 8 Pro，主要看通知和睡眠监测。",
    ),
    (
        "Your oldest Xiaomi phone that still works?",
        "My Mi 3 still boots and plays music in the kitchen. Beat that!",
        "你手里还能用的最老的小米手机是哪台？",
        "我的小米 3 还能开机，放在厨房当音乐播放器。谁能比我更老？",
    ),
    (
        "Weekend plans? (week {week})",
        "Hiking if the weather holds, otherwise reflashing my old phone for fun.",
        "第 {week} 周周末计划？",
        "天气好就去爬山，不然就在家给旧手机刷机玩。",
    ),
]
ANNOUNCEMENTS = [
    (
        "Welcome to Popcorn: read this first",
        """Welcome! Popcorn is a fan forum for Xiaomi and Redmi firmware.

## How it works
- **Stable firmware** and **Beta firmware** carry release notes and feedback.
- **Bug reports**: one bug per thread, always with device and full firmware version.
- **Guides**: tutorials written by members.

Be kind, search before posting, and have fun.""",
        True,
    ),
    (
        "论坛版规（请务必阅读）",
        """## 版规
1. 友善交流，禁止人身攻击。
2. 发帖前先搜索，避免重复。
3. 问题反馈请写明**机型**和**完整版本号**。
4. 禁止发布破解、盗版资源。

违反版规的帖子会被隐藏，多次违规将被禁言。""",
        True,
    ),
    (
        "How to write a good bug report",
        """A good report gets fixed; a vague one gets ignored.

## Always include
- Device and **full** firmware version (e.g. `OS1.0.5.0.UNCCNXM`)
- Steps to reproduce, numbered
- What you expected, and what happened

## Nice to have
- A log from the feedback app
- Whether it happens in safe mode""",
        False,
    ),
    (
        "开发版内测招募公告",
        """新一轮开发版内测开始招募！

## 要求
- 使用小米 14 系列或红米 K70
- 能接受偶发问题，并愿意反馈
- 已解锁 Bootloader 优先

报名后请到**内测交流区**签到。""",
        False,
    ),
    (
        "Scheduled maintenance on Sunday",
        "The forum will be read-only for about 30 minutes on Sunday at 03:00 (UTC+8) "
        "while we upgrade the database. Thanks for your patience!",
        False,
    ),
]

# Replies fit the kind of thread they answer.
REPLIES = {
    "bug": [
        ("Same here on {version}.", "同样的问题，{version} 也有。"),
        ("Can confirm on my {device}.", "我的 {device_zh} 也是这样。"),
        ("Did you try clearing the app's cache?", "试试清除一下应用缓存？"),
        ("Not seeing this here. Which region ROM are you on?", "我这边没遇到，你是哪个地区的包？"),
        ("Rolled back to the previous build and it's gone.", "回退到上一个版本就好了。"),
        ("+1, reported it through the feedback app.", "+1，已经用服务与反馈提交了。"),
        ("Any word on when this gets fixed?", "官方有说什么时候修吗？"),
        ("Bumping this, hope the engineers see it.", "顶一下，希望工程师能看到。"),
        (
            "Happens in safe mode too, so it's not an app.",
            "安全模式下也有，应该不是第三方应用的问题。",
        ),
        (
            "A few things that helped me:\n\n- Turn off *Wi-Fi assistant*\n"
            "- Lock the app in recents\n- Set its battery saver to **No restrictions**",
            "我的办法：\n\n- 关闭 *WLAN 助理*\n- 在多任务里给应用加锁\n- 省电策略设为**无限制**",
        ),
        (
            "Grab a bug report so they can actually fix it:\n\n```sh\nadb bugreport bug.zip\n```",
            "抓个日志一起提交，工程师才好定位：\n\n```sh\nadb bugreport bug.zip\n```",
        ),
    ],
    "release": [
        ("Downloading now, will report back.", "正在下载，装完来反馈。"),
        ("Installed, no issues so far.", "已升级，目前没发现问题。"),
        ("Still not showing up for me. Batches, I guess.", "我这还没收到推送，估计是分批的。"),
        ("Battery is much better for me since this update.", "这版续航对我来说好多了。"),
        ("Any camera changes on the {device}?", "{device_zh} 相机有变化吗？"),
        ("Did they fix Wi-Fi dropping after screen off?", "息屏断 Wi-Fi 的问题修了吗？"),
        (
            "Give it a day or two after updating: indexing eats battery at first.",
            "刚升级完耗电高是正常的，系统在后台整理，过两天就好。",
        ),
        ("Smooth update, took about 15 minutes.", "升级很顺利，大概 15 分钟。"),
        ("Waiting for the next build then.", "坐等下个版本。"),
    ],
    "guide": [
        ("Thanks, this worked for me!", "感谢分享，按教程操作成功了！"),
        ("Great write-up, bookmarked.", "写得很详细，收藏了。"),
        ("Works on the {device} too, thanks for sharing.", "{device_zh} 也能用，感谢分享。"),
        (
            "Step 2 just says `waiting for any device`. Any idea?",
            "第二步一直显示 `waiting for any device`，怎么办？",
        ),
        (
            "That's usually the driver: reinstall it and use a USB 2.0 port.",
            "一般是驱动问题，重装驱动，换 USB 2.0 接口试试。",
        ),
        ("Does this wipe data?", "这样会清数据吗？"),
        ("Clear and to the point. Saved to my notes.", "简单明了，已经记到备忘录里了。"),
    ],
    "help": [
        (
            "Post the exact error message, it makes it much easier to help.",
            "把具体报错贴出来，方便大家帮你看。",
        ),
        ("Had the same problem, a different cable fixed it.", "我也遇到过，换了根数据线就好了。"),
        ("Check the guide pinned at the top of this board.", "看看版块置顶的教程。"),
        ("Yes, but back up first.", "可以，但是先备份。"),
        ("Which region is your phone? That matters here.", "你的手机是哪个版本的？这个很关键。"),
        (
            "Run this and post the output:\n\n```sh\nfastboot getvar all\n```",
            "执行一下这个，把输出贴出来：\n\n```sh\nfastboot getvar all\n```",
        ),
    ],
    "feedback": [
        ("Agree on the animations, feels a lot snappier.", "同意，动画跟手多了。"),
        ("Same experience here on my {device}.", "我的 {device_zh} 也是一样的感受。"),
        ("Mine runs warmer than before, to be honest.", "说实话，我的比之前更热一点。"),
        ("+1 to this suggestion.", "+1，支持这个建议。"),
        (
            "Send it through the feedback app too, they do read those.",
            "也在服务与反馈里提一下，官方会看的。",
        ),
        ("Standby is the big win for me.", "对我来说最大的提升是待机。"),
    ],
    "chat": [
        ("Following, curious what people say.", "蹲一个，看看大家怎么说。"),
        ("I went with the {other} and don't regret it.", "我选了 {other_zh}，没后悔。"),
        ("Nice one!", "不错！"),
        ("Same, more or less.", "差不多，我也是这样。"),
        ("Honestly it depends on what you use it for.", "说实话要看你主要用来干嘛。"),
        ("Ha, this topic again. Love it.", "哈哈，又是这个话题，喜欢。"),
        ("Pictures or it didn't happen 😄", "有图有真相 😄"),
    ],
    "announcement": [
        ("Thanks for the heads-up!", "感谢通知！"),
        ("Got it, thanks.", "收到，谢谢。"),
        ("Great, looking forward to it.", "支持，期待！"),
        ("Could this go in the wiki as well?", "可以也放到 wiki 里吗？"),
    ],
}
# What the thread's starter says when they come back, by kind of thread.
OP_REPLIES = {
    "bug": [
        (
            "Update: fixed after a reboot and a cache wipe. Thanks all!",
            "更新：重启加清缓存后好了，谢谢大家！",
        ),
        ("Still happening on my side, reported it again.", "我这边还是有问题，再反馈一次。"),
    ],
    "release": [("Added the known issues to the first post.", "已知问题已经补充到一楼。")],
    "guide": [("Thanks everyone, I'll add this to the first post.", "谢谢各位，我补充到一楼了。")],
    "help": [("Solved, thanks! It was the cable.", "解决了，谢谢！是数据线的问题。")],
    "feedback": [
        ("Quick update: after a week it's even better.", "补充一下：用了一周感觉更好了。")
    ],
    "chat": [("Thanks for all the answers!", "感谢大家的回复！")],
    "announcement": [],
}

# Bug and feedback triage: a bug filed twice (the second closed as a duplicate), the
# release notes that fix it, feedback voted up and adopted. (title, body) per language.
TRIAGE_BUG = {
    "zh": (
        "升级 OS1.0.20 后蓝牙耳机频繁断连",
        "**机型：**小米14\n**固件版本：**OS1.0.20.0.UNCCNXM\n\n**复现步骤：**\n"
        "1. 连接蓝牙耳机\n2. 播放音乐 5 分钟\n\n**预期：**一直连接\n\n"
        "**实际：**每隔几分钟断开一次，要重新连接。",
    ),
    "en": (
        "Bluetooth earbuds keep disconnecting after OS1.0.20",
        "**Device:** Xiaomi 14\n**Firmware version:** OS1.0.20.0.UNCCNXM\n\n"
        "**Steps to reproduce:**\n1. Pair earbuds\n2. Play music for 5 minutes\n\n"
        "**Expected:** stays connected\n\n**Actual:** drops every few minutes.",
    ),
}
TRIAGE_DUPLICATE = (
    "蓝牙耳机连上就断，重启也没用",
    "**机型：**小米14 Pro\n**固件版本：**OS1.0.20.0.UNBCNXM\n\n"
    "**复现步骤：**\n1. 连接耳机\n\n**预期：**正常播放\n\n**实际：**几分钟后自动断开。",
)
TRIAGE_RELEASE = (
    "OS1.0.21.0 稳定版更新日志",
    "## 修复\n- 修复部分蓝牙耳机播放时断连的问题\n- 修复横屏输入法卡顿\n\n## 优化\n- 提升待机续航",
)
TRIAGE_FEEDBACK = [
    (
        "建议：充电上限 80% 选项",
        "长期插电使用时希望能设置充电上限，保护电池寿命。",
        "adopted",
        "",
    ),
    (
        "建议：控制中心支持自定义排列",
        "希望能像旧版一样拖动调整控制中心开关的顺序。",
        "declined",
        "控制中心布局本季度不调整，已记录在后续规划中。",
    ),
]
TRIAGE_DUPLICATE_REASON = "同一个蓝牙断连问题，请在原帖点“我也遇到”。"
