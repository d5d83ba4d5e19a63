# 機構的成員，以及管理員授權他們使用的電子證書及印章（seed 004）。

members-title = 成員及授權
members-loading = 正在開啟成員資料…
members-saving = 正在儲存…
members-wait = 請等候修改儲存完成。
members-none = 沒有成員紀錄。
members-former = 已非成員
members-no-authorisations = 沒有授權
members-organisations-only = 成員及授權屬於機構：請開啟機構的檔案。
members-not-found = 此櫃檯機的資料庫沒有這個機構或授權（可能尚未同步）。
members-select-member = 請先選擇成員。
members-select-authorisation = 請先選擇授權（成員下方的項目）。
members-nothing-to-grant = 機構沒有可授權使用的電子證書或印章。
members-years-bounds = 授權有效年數為 { $min } 至 { $max } 年。

members-object-certificate = { $class }電子證書 { $serial }
members-object-seal = 印章：{ $name }
members-object-unknown = （本機沒有此紀錄）
members-years = { $count } 年
members-until = 至 { $date }
members-status-in-force = 有效
members-status-expired = 已過期
members-status-not-yet = 未生效
members-status-suspended = 已暫停
members-status-ended = 已撤銷

members-form-grant = 為 { $name } 新增授權
members-form-change = 修改 { $name } 的授權
members-form-transfer = 由 { $name } 出任管理員
members-form-object = 電子證書或印章
members-form-years = 有效年數
members-letter = 已收取已簽署的機構管理員轉讓授權委託書
members-confirm-end = 撤銷 { $name } 使用 { $object } 的授權？撤銷後不可恢復。
members-confirm-transfer = 由 { $name } 出任管理員？現任管理員將不再是管理員。

members-granted = 已新增授權。
members-changed = 已修改授權。
members-withdrawn = 已暫停授權。
members-restored = 已恢復授權。
members-ended = 已撤銷授權。
members-transferred = 已轉讓管理員；轉讓授權委託書已記錄。

members-key-open = 成員及授權
members-key-add = 新增授權
members-key-change = 修改
members-key-suspend = 暫停
members-key-resume = 恢復
members-key-end = 撤銷
members-key-transfer = 轉讓管理員
members-key-previous-object = 上一個電子證書或印章
members-key-next-object = 電子證書或印章
members-key-fewer-years = 減少年數
members-key-more-years = 增加年數
members-key-save = 儲存
members-key-cancel = 取消
members-key-letter = 已收委託書
members-key-yes = 是
members-key-no = 否

members-years-out-of-range = 授權有效年數須為 { $min } 至 { $max } 整年（所選：{ $years } 年）。
members-not-an-employee = 只可授權予機構的現職僱員。
members-no-administrator = 機構沒有管理員可作授權：請先憑已簽署的轉讓授權委託書委任管理員。
members-object-not-the-organisations = 該電子證書或印章不屬於本機構。
members-object-not-usable = 該電子證書或印章已不可使用（已撤銷或已過期）。
members-already-authorised = 此人已獲授權使用該電子證書或印章（或已暫停）：請改為修改該項授權。
members-not-this-organisation = 該項授權屬於另一機構。
members-authorisation-ended = 此授權已撤銷，不可修改或恢復。
members-already-withdrawn = 此授權已暫停。
members-not-withdrawn = 只可恢復已暫停的授權。
members-nothing-changed = 沒有任何修改。
members-ends-in-the-past = 按此年數，授權已於 { $until } 屆滿：請選擇較多年數，或撤銷授權。
members-letter-required = 請先收取已簽署的機構管理員轉讓授權委託書。
members-not-a-member = 新管理員須為機構的現職成員。
members-already-administrator = 此人已是管理員。
