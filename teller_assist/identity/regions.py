"""Region names for display, from the first six digits of a resident ID.

A resident ID keeps the region code in force when it was first issued, so the table keeps codes that
no longer exist (句容县 321123 became 句容市 321183 in 1995; people born before then often still carry
321123). Lookups are for display only: an unknown code is a warning, never a reason to refuse an ID.

The table covers every province-level code, Jiangsu's prefectures, and the counties of Zhenjiang and
Nanjing around the bank (current and historic). Anything else falls back to the prefecture or the
province name and is marked as approximate.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

PREFECTURES: dict[str, str] = {
    "3201": "南京市",
    "3202": "无锡市",
    "3203": "徐州市",
    "3204": "常州市",
    "3205": "苏州市",
    "3206": "南通市",
    "3207": "连云港市",
    "3208": "淮安市",
    "3209": "盐城市",
    "3210": "扬州市",
    "3211": "镇江市",
    "3212": "泰州市",
    "3213": "宿迁市",
}


@dataclass(frozen=True, slots=True)
class County:
    name: str
    since: int | None = None  # first year the code was in use, when known
    until: int | None = None  # last year the code was in use; None = still current


COUNTIES: dict[str, County] = {
    # 镇江市
    "321101": County("镇江市市辖区"),
    "321102": County("镇江市京口区"),
    "321111": County("镇江市润州区"),
    "321112": County("镇江市丹徒区", since=2002),
    "321121": County("镇江市丹徒县", until=2002),
    "321122": County("镇江市丹阳县", until=1987),
    "321123": County("镇江市句容县", until=1995),
    "321124": County("镇江市扬中县", until=1994),
    "321181": County("镇江市丹阳市", since=1987),
    "321182": County("镇江市扬中市", since=1994),
    "321183": County("镇江市句容市", since=1995),
    # 南京市
    "320101": County("南京市市辖区"),
    "320102": County("南京市玄武区"),
    "320104": County("南京市秦淮区"),
    "320105": County("南京市建邺区"),
    "320106": County("南京市鼓楼区"),
    "320111": County("南京市浦口区"),
    "320113": County("南京市栖霞区"),
    "320114": County("南京市雨花台区"),
    "320115": County("南京市江宁区", since=2000),
    "320116": County("南京市六合区", since=2002),
    "320117": County("南京市溧水区", since=2013),
    "320118": County("南京市高淳区", since=2013),
    "320121": County("南京市江宁县", until=2000),
    "320122": County("南京市江浦县", until=2002),
    "320123": County("南京市六合县", until=2002),
    "320124": County("南京市溧水县", until=2013),
    "320125": County("南京市高淳县", until=2013),
    # 常州市 (neighbour, the bank's customers often come from 金坛)
    "320413": County("常州市金坛区", since=2015),
    "320482": County("常州市金坛市", since=1993, until=2015),
    "320423": County("常州市金坛县", until=1993),
}


@dataclass(frozen=True, slots=True)
class RegionName:
    """What to show for a region code."""

    code: str
    name: str
    known: bool  # the exact six-digit code is in the table
    historic: bool  # the code is no longer in use (still valid on old IDs)

    @property
    def warning(self) -> str | None:
        if self.known:
            return None
        return f"地区代码{self.code}不在地区表中，显示为“{self.name}”"


def region_name(code: str) -> RegionName:
    """The display name of a six-digit region code; never raises for a well-formed code."""
    county = COUNTIES.get(code)
    if county is not None:
        return RegionName(code, county.name, known=True, historic=county.until is not None)
    prefecture = PREFECTURES.get(code[:4])
    if prefecture is not None:
        return RegionName(code, prefecture, known=False, historic=False)
    province = PROVINCES.get(code[:2])
    if province is not None:
        return RegionName(code, province, known=False, historic=False)
    return RegionName(code, "未知地区", known=False, historic=False)
