# The kiosk's own setup: configuration, data directory, logs, output.
notice-new-store = There was no store in { $dir }, so a new, empty one was made. If you meant another data directory, check --data-dir or KIOSK_DATA_DIR.
error-output = The output could not be written ({ $detail }). Check where it goes (a full disk, a closed file) and run the command again.
error-store-damaged = The local database is damaged ({ $detail }). Do not go on working with this data directory and do not delete its files: run "kiosk store verify" and call support.
warning-data-dir-permissions = The data directory { $dir } could not be made private ({ $detail }): other accounts on this computer may be able to read it. Tell support.
warning-logs-unwritable = The log cannot be written in { $dir } ({ $detail }). The kiosk works on and every record is still saved; tell support, so that problems can be traced.
demo-credentials-not-shown = The demo office was not created: its staff's passwords could not be shown ({ $detail }), and they are shown only once. Run the command again where its output can be read.
config-error-not-a-file = { $path } should be the kiosk's configuration file, but it is not a file that can be read (a folder, or a link to nothing). Replace it with a file, or remove it to use the defaults.
config-error-invalid = The setting { $setting } cannot be used: { $detail }. Fix it, or remove it to use the default.
config-error-language = The setting { $setting } is "{ $value }", which is not a language the kiosk speaks. Use zh-Hant, zh-Hans, pt or en.
config-error-offset = The setting { $setting } is "{ $value }", which is not an offset from UTC. Write it like +08:00.
config-error-kiosk-id = The setting { $setting } is "{ $value }", which cannot be a kiosk id. Use 1 to 64 letters, digits or underscores, such as MACAU_01.
config-error-log = The setting { $setting } is "{ $value }", which is not a log filter. Use a level such as info or debug, or a filter such as store=debug.
config-error-pin-tries = The setting { $setting } is { $value }, but a token must allow at least { $min } wrong PINs before the kiosk locks it.
config-error-printer = The setting { $setting } is "{ $value }", which is not a printer address. Write it like ipp://printserver:631/printers/COUNTER_1 (ipp:// or http://).
config-error-minutes = The setting { $setting } is { $value }, but it must be from { $min } to { $max } minutes.
config-error-fee-currency = The price table's { $setting } is "{ $value }", but the office charges in its own currency (the currency setting). Write the prices in that currency, or leave the table's currency out.
config-error-fee-unpriced = The price table has no { $setting }: the counter issues these certificates, so give a price for each of 1 to 5 years.
config-error-fee-not-at-counter = The price table lists { $setting }, but cloud-sign certificates are never sold at the counter. Remove that line.
config-error-fee-years = The price table's { $setting } has { $value } prices; write one for each of 1 to 5 years, such as [400, 800, 1200, 1600, 2000].
config-error-fee-amount = The price table's { $setting } is { $value }, which is not a price. Write an amount from zero to 10,000,000, to the hundredth at most, such as 400 or 12.50.
