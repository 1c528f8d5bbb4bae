"""Made-up messages in the format of an older system's export
(`id,title,body,created_at,category`), written for these tests.

Three labels: two name categories of the test district (加装电梯, 垃圾清运),
one does not (劳动保障旧类, an older system's label)."""

import csv
import random

PHRASES = {
    "加装电梯": (["旧楼加装电梯", "加装电梯申请", "电梯加装补贴", "加装电梯审批"],
             ["低层业主不同意加装电梯", "加装电梯要准备什么资料", "电梯施工围蔽太久", "加装电梯补贴什么时候到账",
              "楼里老人上下楼困难想装电梯", "电梯井道施工噪音大"]),
    "垃圾清运": (["垃圾堆放无人清运", "生活垃圾没人收", "垃圾桶满溢", "建筑垃圾乱倒"],
             ["楼下垃圾堆了三天气味难闻", "垃圾桶满了没人清理", "垃圾收运车很久没来", "装修垃圾堆在路边",
              "苍蝇老鼠很多垃圾发臭", "垃圾清运不及时"]),
    "劳动保障旧类": (["公司拖欠工资", "社保没有缴纳", "劳动合同纠纷", "加班费不发"],
               ["老板拖欠三个月工资不发", "公司不给员工买社保", "辞职后单位不结清工资", "没有签劳动合同就辞退",
                "加班没有加班费", "工伤认定不给办"]),
}
FILLERS = ["您好，", "我是附近居民，", "请有关部门尽快处理。", "希望早日解决。", "谢谢！", "已经反映多次。"]


def rows(per_label=20, seed=1, noise=0.0):
    """Rows of made-up messages; `noise` is the share given a wrong label."""
    rng = random.Random(seed)
    labels = sorted(PHRASES)
    out = []
    for label in labels:
        titles, bodies = PHRASES[label]
        for _ in range(per_label):
            body = rng.choice(FILLERS) + "，".join(rng.sample(bodies, 2)) + "。" + rng.choice(FILLERS)
            written = rng.choice([x for x in labels if x != label]) if rng.random() < noise else label
            out.append({"title": rng.choice(titles), "body": body, "category": written})
    rng.shuffle(out)
    for n, row in enumerate(out, start=1):
        row["id"] = str(n)
        row["created_at"] = f"2025-01-{1 + n % 28:02d} 09:{n % 60:02d}:00"
    return out


def write(path, data):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "title", "body", "created_at", "category"])
        writer.writeheader()
        writer.writerows(data)
    return path

