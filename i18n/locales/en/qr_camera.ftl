# QR codes, appointment passes, the camera, photo checks and the picture files they read (card-readers: qr, camera, photo, input).

qr-error-image = The file is not a picture the kiosk can read ({ $detail }). Use a JPEG, PNG or TIFF picture.
qr-error-frame-size = The camera sent a broken picture ({ $width }×{ $height }). Try again; if it keeps happening, unplug the camera and plug it in again.
qr-nothing-found = No QR code was seen. Hold the code flat, closer to the camera and out of glare, or type the booking reference.
qr-pass-not-today = This appointment is for { $slot }, not today. Check the booking with the person, or serve them as a walk-in.
qr-pass-not-a-pass = This QR code is not an appointment pass of this registry. Ask for the booking confirmation, or find the appointment by its reference.
qr-pass-unsupported-version = This appointment pass is in a format this kiosk does not read (version { $version }). Find the appointment by its reference, and ask for the kiosk to be updated.
qr-pass-wrong-field-count = This appointment pass is incomplete or damaged ({ $found ->
        [one] { $found } part
       *[other] { $found } parts
    } instead of { $expected }). Scan it again, or find the appointment by its reference.
qr-pass-bad-appointment-id = The appointment number in this pass is not valid. Find the appointment by its reference.
qr-pass-bad-reference = The booking reference in this pass is missing or damaged. Find the appointment by the person's name or ID document.
qr-pass-bad-slot = The appointment time in this pass is not valid. Find the appointment by its reference.
qr-pass-bad-mac-encoding = The security code of this pass is incomplete or damaged. Scan it again, or find the appointment by its reference.
qr-pass-forged = This appointment pass failed its security check: it was altered, or not issued by this registry. Do not serve on it; find the appointment by its reference and check the person's identity.
camera-error-no-camera = No camera found — load a photo file instead.
camera-error-no-such-camera = There is no camera number { $index } ({ $count ->
        [one] { $count } camera
       *[other] { $count } cameras
    } found). Choose a camera from the list.
camera-error-unsupported = This computer has no camera interface the kiosk can use. Load a photo file instead.
camera-error-query = The list of cameras could not be read ({ $detail }). Load a photo file instead, or restart the kiosk.
camera-error-open = The camera could not be opened ({ $detail }). Close other programs that use it, unplug it and plug it in again, or load a photo file instead.
camera-error-frame = The camera gave no picture ({ $detail }). Check its cable and try again.
camera-error-crashed = The camera software failed. Load a photo file instead; the details are in the log.
camera-error-file-not-picture = The file is not a picture the kiosk can read ({ $detail }). Use a JPEG, PNG or TIFF picture.
camera-error-no-frames = No photo file was chosen. Choose a file.
photo-error-empty = The photo is empty. Take it again or choose another file.
photo-error-unknown-format = This file is not a picture the kiosk recognises. Save the photo as JPEG and load it again.
photo-error-unsupported-format = { $format } pictures are not accepted for photos. Save the photo as JPEG, PNG or TIFF and load it again.
photo-error-truncated = The photo is incomplete: its end is missing, perhaps because copying it was cut short. Take it again or copy the file again.
photo-error-unreadable = The photo is damaged or incomplete ({ $detail }). Take it again or choose another file.
photo-error-too-large = The picture is too large to open (more than { $max } pixels a side). Save a smaller copy and load it again.
photo-error-too-small = The photo is { $width }×{ $height } pixels; at least { $min_width }×{ $min_height } are needed. Take it again closer, or use a larger file.
photo-error-too-dark = The photo is too dark. Turn on more light and check that nothing covers the lens, then take it again.
photo-error-too-bright = The photo is too bright. Reduce the light or move away from the window, then take it again.
photo-error-blank = The photo is blank: it shows nothing. Point the camera at the person and take it again.
photo-error-cannot-fit = The photo could not be made smaller than 3 MB. Take it again or choose another file.
photo-error-encode = The photo could not be saved as JPEG ({ $detail }). Try again; the details are in the log.
input-error-not-found = The file { $file } does not exist. Check its name and folder, or choose it again.
input-error-not-a-file = { $file } is not a file but a device, a pipe or a folder. Choose a picture file.
input-error-too-large = The file { $file } is larger than { $max } MB, the most the kiosk reads for it. Save a smaller copy as JPEG and load it again.
input-error-unreadable = The file { $file } could not be read ({ $detail }). Check that it is still there and that the kiosk may open it, or choose it again.
input-error-trailing-data = The file { $file } holds more data after the end of its picture (padding, another file joined on, or a motion photo's video). Save the picture again as JPEG or PNG and load it again.
