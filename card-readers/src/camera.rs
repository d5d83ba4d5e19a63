//! The counter's camera behind a small trait: the real one through nokhwa's native backend
//! (V4L2, Media Foundation, AVFoundation), and picture files played as frames, for tests and for
//! an office with no camera ("load a photo file instead").
//!
//! A machine without a camera is normal, not a failure: [`list_cameras`] answers with an empty
//! list and [`open_camera`] with [`CameraError::NoCamera`]. Calls into the camera bindings are
//! guarded so that a panic in them becomes [`CameraError::Crashed`] instead of ending the kiosk.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use image::DynamicImage;
use nokhwa::NokhwaError;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{ApiBackend, CameraIndex, RequestedFormat, RequestedFormatType};

use crate::input::{InputError, MAX_PICTURE_FILE_BYTES, read_picture};
use crate::qr;

/// A camera as the clerk picks it from a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraInfo {
    /// The index to give [`open_camera`]; `None` for a source that is not a device (files).
    pub index: Option<u32>,
    pub name: String,
    pub description: String,
}

/// Something that gives pictures one at a time.
pub trait Camera {
    fn info(&self) -> CameraInfo;
    /// The next picture. A camera gives the latest one; it may block until one is ready.
    fn frame(&mut self) -> Result<DynamicImage, CameraError>;
}

#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    #[error("no camera found; load a photo file instead")]
    NoCamera,
    #[error("there is no camera number {index}; {count} found")]
    NoSuchCamera { index: u32, count: usize },
    #[error("this system has no camera interface the kiosk can use; load a photo file instead")]
    Unsupported,
    #[error("the list of cameras could not be read: {source}")]
    Query {
        #[source]
        source: NokhwaError,
    },
    #[error("the camera could not be opened: {source}")]
    Open {
        #[source]
        source: NokhwaError,
    },
    #[error("the camera gave no picture: {source}")]
    Frame {
        #[source]
        source: NokhwaError,
    },
    #[error("the camera software failed unexpectedly")]
    Crashed,
    #[error("the photo file was refused: {source}")]
    FileUnreadable {
        #[source]
        source: InputError,
    },
    #[error("the photo file is not a picture the kiosk reads (JPEG, PNG or TIFF): {source}")]
    FileNotPicture {
        #[source]
        source: image::ImageError,
    },
    #[error("no photo file was given")]
    NoFrames,
}

impl CameraError {
    /// A file's own messages are [`InputError::ALL_MESSAGE_IDS`].
    pub const ALL_MESSAGE_IDS: &[&str] = &[
        "camera-error-no-camera",
        "camera-error-no-such-camera",
        "camera-error-unsupported",
        "camera-error-query",
        "camera-error-open",
        "camera-error-frame",
        "camera-error-crashed",
        "camera-error-file-not-picture",
        "camera-error-no-frames",
    ];

    /// The Fluent message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            CameraError::NoCamera => "camera-error-no-camera",
            CameraError::NoSuchCamera { .. } => "camera-error-no-such-camera",
            CameraError::Unsupported => "camera-error-unsupported",
            CameraError::Query { .. } => "camera-error-query",
            CameraError::Open { .. } => "camera-error-open",
            CameraError::Frame { .. } => "camera-error-frame",
            CameraError::Crashed => "camera-error-crashed",
            CameraError::FileUnreadable { source } => source.message_id(),
            CameraError::FileNotPicture { .. } => "camera-error-file-not-picture",
            CameraError::NoFrames => "camera-error-no-frames",
        }
    }

    /// The Fluent arguments of [`CameraError::message_id`]'s message.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            CameraError::NoSuchCamera { index, count } => {
                vec![("index", index.to_string()), ("count", count.to_string())]
            }
            CameraError::Query { source }
            | CameraError::Open { source }
            | CameraError::Frame { source } => vec![("detail", source.to_string())],
            CameraError::FileUnreadable { source } => source.message_args(),
            CameraError::FileNotPicture { source } => vec![("detail", source.to_string())],
            _ => Vec::new(),
        }
    }

    /// Whether the clerk should be offered to load a photo file instead.
    pub fn suggests_photo_file(&self) -> bool {
        matches!(
            self,
            CameraError::NoCamera
                | CameraError::NoSuchCamera { .. }
                | CameraError::Unsupported
                | CameraError::Query { .. }
                | CameraError::Open { .. }
                | CameraError::Crashed
        )
    }
}

/// The platform's own camera interface, if nokhwa has one here.
fn native_backend() -> Result<ApiBackend, CameraError> {
    nokhwa::native_api_backend().ok_or(CameraError::Unsupported)
}

/// Runs a call into the camera bindings, turning a panic in them into [`CameraError::Crashed`].
fn guarded<T>(call: impl FnOnce() -> Result<T, CameraError>) -> Result<T, CameraError> {
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|_| {
        tracing::error!("the camera bindings panicked");
        Err(CameraError::Crashed)
    })
}

/// The cameras attached to this machine; empty when there is none.
pub fn list_cameras() -> Result<Vec<CameraInfo>, CameraError> {
    let backend = native_backend()?;
    request_permission();
    let found = guarded(|| nokhwa::query(backend).map_err(|source| CameraError::Query { source }))?;
    let cameras: Vec<CameraInfo> = found
        .iter()
        .filter_map(|camera| {
            let index = camera.index().as_index().ok()?;
            Some(CameraInfo {
                index: Some(index),
                name: camera.human_name(),
                description: camera.description().to_owned(),
            })
        })
        .collect();
    tracing::debug!(cameras = cameras.len(), ?backend, "cameras listed");
    Ok(cameras)
}

/// macOS asks the person at the machine before any camera may be listed or opened.
#[cfg(target_os = "macos")]
fn request_permission() {
    if !nokhwa::nokhwa_check() {
        nokhwa::nokhwa_initialize(|granted| tracing::info!(granted, "camera permission"));
    }
}

#[cfg(not(target_os = "macos"))]
fn request_permission() {}

/// Opens the camera numbered `index` in [`list_cameras`], streaming its highest resolution.
pub fn open_camera(index: u32) -> Result<Box<dyn Camera>, CameraError> {
    let cameras = list_cameras()?;
    if cameras.is_empty() {
        return Err(CameraError::NoCamera);
    }
    let info = cameras
        .iter()
        .find(|camera| camera.index == Some(index))
        .cloned()
        .ok_or(CameraError::NoSuchCamera { index, count: cameras.len() })?;
    let backend = native_backend()?;
    let camera = guarded(|| {
        let format =
            RequestedFormat::new::<RgbFormat>(RequestedFormatType::AbsoluteHighestResolution);
        let mut camera = nokhwa::Camera::with_backend(CameraIndex::Index(index), format, backend)
            .map_err(|source| CameraError::Open { source })?;
        camera.open_stream().map_err(|source| CameraError::Open { source })?;
        Ok(camera)
    })?;
    tracing::info!(index, "camera opened");
    Ok(Box::new(NativeCamera { camera, info }))
}

/// A camera through nokhwa.
struct NativeCamera {
    camera: nokhwa::Camera,
    info: CameraInfo,
}

impl fmt::Debug for NativeCamera {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NativeCamera").field("info", &self.info).finish_non_exhaustive()
    }
}

impl Camera for NativeCamera {
    fn info(&self) -> CameraInfo {
        self.info.clone()
    }

    fn frame(&mut self) -> Result<DynamicImage, CameraError> {
        let camera = &mut self.camera;
        guarded(|| {
            let buffer = camera.frame().map_err(|source| CameraError::Frame { source })?;
            let rgb = buffer
                .decode_image::<RgbFormat>()
                .map_err(|source| CameraError::Frame { source })?;
            Ok(DynamicImage::ImageRgb8(rgb))
        })
    }
}

impl Drop for NativeCamera {
    fn drop(&mut self) {
        let camera = &mut self.camera;
        let stopped = catch_unwind(AssertUnwindSafe(|| camera.stop_stream()));
        if !matches!(stopped, Ok(Ok(()))) {
            tracing::warn!("the camera stream did not stop cleanly");
        }
    }
}

/// Pictures played as camera frames, one after another and round again.
pub struct FileCamera {
    frames: Vec<DynamicImage>,
    next: usize,
    name: String,
}

impl fmt::Debug for FileCamera {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Frames may be photos of people: their count only.
        f.debug_struct("FileCamera")
            .field("frames", &self.frames.len())
            .field("next", &self.next)
            .field("name", &self.name)
            .finish()
    }
}

impl FileCamera {
    /// Reads every file now, so that a file the clerk chose that cannot be read is reported at
    /// once. JPEG, PNG and TIFF, told by their content, each at most
    /// [`MAX_PICTURE_FILE_BYTES`].
    pub fn open<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Self, CameraError> {
        let frames = paths
            .into_iter()
            .map(|path| {
                let bytes = read_picture(path.as_ref(), MAX_PICTURE_FILE_BYTES)
                    .map_err(|source| CameraError::FileUnreadable { source })?;
                qr::load_picture(&bytes).map_err(|source| CameraError::FileNotPicture { source })
            })
            .collect::<Result<Vec<_>, _>>()?;
        FileCamera::from_images(frames)
    }

    /// Frames already in memory.
    pub fn from_images(frames: Vec<DynamicImage>) -> Result<Self, CameraError> {
        if frames.is_empty() {
            return Err(CameraError::NoFrames);
        }
        Ok(FileCamera { frames, next: 0, name: "Photo file".to_owned() })
    }
}

impl Camera for FileCamera {
    fn info(&self) -> CameraInfo {
        CameraInfo {
            index: None,
            name: self.name.clone(),
            description: format!("{} picture(s) from files", self.frames.len()),
        }
    }

    fn frame(&mut self) -> Result<DynamicImage, CameraError> {
        let frame = self.frames.get(self.next % self.frames.len()).ok_or(CameraError::NoFrames)?;
        self.next = self.next.wrapping_add(1);
        Ok(frame.clone())
    }
}

/// Looks at up to `max_frames` frames until one shows a QR code, and gives that code's bytes (the
/// first, if a frame shows several). A frame the camera fails to give is skipped; `None` when no
/// code was seen (show [`qr::NOTHING_FOUND_MESSAGE_ID`]).
pub fn scan_qr(camera: &mut dyn Camera, max_frames: usize) -> Option<Vec<u8>> {
    for seen in 0..max_frames {
        match camera.frame() {
            Ok(frame) => {
                if let Some(payload) = qr::decode_image(&frame).into_iter().next() {
                    tracing::debug!(frames = seen + 1, "QR code seen");
                    return Some(payload);
                }
            }
            Err(error) => {
                tracing::warn!(message_id = error.message_id(), %error, "camera frame skipped");
            }
        }
    }
    tracing::debug!(frames = max_frames, "no QR code seen");
    None
}
