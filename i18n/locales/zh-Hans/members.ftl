# 单位的成员，以及管理员授权他们使用的数字证书及印章（seed 004）。

members-title = 成员及授权
members-loading = 正在打开成员信息…
members-saving = 正在保存…
members-wait = 请等待修改保存完成。
members-none = 没有成员记录。
members-former = 已非成员
members-no-authorisations = 没有授权
members-organisations-only = 成员及授权属于单位：请打开单位的档案。
members-not-found = 此柜台机的数据库没有这个单位或授权（可能尚未同步）。
members-select-member = 请先选择成员。
members-select-authorisation = 请先选择授权（成员下方的条目）。
members-nothing-to-grant = 单位没有可授权使用的数字证书或印章。
members-years-bounds = 授权有效年数为 { $min } 至 { $max } 年。

members-object-certificate = { $class }数字证书 { $serial }
members-object-seal = 印章：{ $name }
members-object-unknown = （本机没有此记录）
members-years = { $count } 年
members-until = 至 { $date }
members-status-in-force = 有效
members-status-expired = 已过期
members-status-not-yet = 未生效
members-status-suspended = 已临时取消
members-status-ended = 已注销

members-form-grant = 为 { $name } 添加授权
members-form-change = 修改 { $name } 的授权
members-form-transfer = 将管理员转让给 { $name }
members-form-object = 单位证书及印章使用权限
members-form-years = 有效年数
members-letter = 已收取已签署的单位管理员转让授权委托书
members-confirm-end = 注销 { $name } 使用 { $object } 的授权？注销后不可恢复。
members-confirm-transfer = 将管理员转让给 { $name }？现任管理员将不再是管理员。

members-granted = 授权已添加。
members-changed = 授权已修改。
members-withdrawn = 已临时取消授权。
members-restored = 授权已恢复。
members-ended = 授权已注销。
members-transferred = 管理员已转让；转让授权委托书已记录。

members-key-open = 成员及授权
members-key-add = 添加授权
members-key-change = 修改
members-key-suspend = 临时取消
members-key-resume = 恢复
members-key-end = 注销
members-key-transfer = 转让管理员
members-key-previous-object = 上一个证书或印章
members-key-next-object = 证书或印章
members-key-fewer-years = 减少年数
members-key-more-years = 增加年数
members-key-save = 保存
members-key-cancel = 取消
members-key-letter = 已收委托书
members-key-yes = 是
members-key-no = 否

members-years-out-of-range = 授权有效年数须为 { $min } 至 { $max } 整年（所选：{ $years } 年）。
members-not-an-employee = 只能授权给单位的在职员工。
members-no-administrator = 单位没有管理员可以授权：请先凭已签署的转让授权委托书设立管理员。
members-object-not-the-organisations = 该数字证书或印章不属于本单位。
members-object-not-usable = 该数字证书或印章已不能使用（已注销或已过期）。
members-already-authorised = 此人已获授权使用该数字证书或印章（或已临时取消）：请改为修改该授权。
members-not-this-organisation = 该授权属于另一个单位。
members-authorisation-ended = 此授权已注销，不能修改或恢复。
members-already-withdrawn = 此授权已临时取消。
members-not-withdrawn = 只能恢复已临时取消的授权。
members-nothing-changed = 没有任何修改。
members-ends-in-the-past = 按此年数，授权已于 { $until } 到期：请选择更多年数，或注销授权。
members-letter-required = 请先收取已签署的单位管理员转让授权委托书。
members-not-a-member = 新管理员必须是单位的在职成员。
members-already-administrator = 此人已是管理员。
