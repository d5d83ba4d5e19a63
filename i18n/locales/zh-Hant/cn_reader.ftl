# 內地居民身份證讀卡器（USB 串口，card_readers::cn_id）。

cn-reader-error-open = 無法開啟位於 { $path } 的身份證讀卡器（{ $detail }）。請檢查讀卡器是否已接上，以及系統設定的連接埠是否正確。
cn-reader-error-timeout = 身份證讀卡器沒有回應。請檢查讀卡器的連接線及指示燈是否亮起，然後再試。
cn-reader-error-bad-checksum = 身份證讀卡器傳回的資料在傳輸途中損壞。請檢查讀卡器的連接線，然後再試。
cn-reader-error-malformed = 身份證讀卡器連接埠上的裝置傳回無法辨識的資料（{ $detail }）。請確認設定的連接埠確實是身份證讀卡器，並檢查其連接線。
cn-reader-error-no-card = 讀卡器上沒有身份證。請將身份證平放在讀卡器上，讀取完成前不要移開。
cn-reader-error-read-failed = 未能讀取身份證（讀卡器代碼 { $code }）。請取下證件，重新平放在讀卡器上，並保持不動。
cn-reader-error-reader-status = 身份證讀卡器報告錯誤（代碼 { $code }）。請拔出讀卡器再重新接上；如錯誤持續，讀卡器需要維修。
cn-reader-error-disconnected = 與身份證讀卡器的連線已中斷（{ $detail }）。請檢查讀卡器的連接線，然後再試。
cn-reader-error-card-data = 身份證上部分資料無法辨識。請再試一次；如仍未能讀取，請目視核對證件，並以人手輸入資料。
cn-reader-error-invalid-id-number = 此證件晶片內的身份證號碼無效。請仔細核對證件及持證人：證件可能已損壞或並非真品。
