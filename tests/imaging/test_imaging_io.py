"""Image/mask readers, the manifest and the preprocessing (no network here)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cetrus.errors import InputError
from cetrus.imaging.io import image_shape, read_image, read_mask
from cetrus.imaging.manifest import read_manifest
from cetrus.imaging.preprocess import Preprocessing, bounding_box, roi_tensor
from cetrus.imaging.synthetic import write_mask


def _save(path, arr, mode=None):
    Image.fromarray(arr, mode=mode).save(path)
    return path


# --------------------------------------------------------------------------- images


def test_read_png_grey_rgb_rgba_and_16bit(tmp_path):
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    out = read_image(_save(tmp_path / "g.png", grey))
    assert out.dtype == np.float32 and out.shape == (3, 4)
    np.testing.assert_allclose(out, grey / 255.0, atol=1e-7)
    rgb = np.stack([grey, grey // 2, 255 - grey], axis=2)
    np.testing.assert_allclose(read_image(_save(tmp_path / "c.png", rgb)), rgb / 255.0, atol=1e-7)
    rgba = np.concatenate([rgb, np.full((3, 4, 1), 7, np.uint8)], axis=2)
    assert read_image(_save(tmp_path / "a.png", rgba)).shape == (3, 4, 3)
    deep = np.arange(12, dtype=np.uint16).reshape(3, 4) * 5000
    Image.fromarray(deep).save(tmp_path / "d.png")
    np.testing.assert_allclose(read_image(tmp_path / "d.png"), deep / 65535.0, atol=1e-6)
    assert image_shape(tmp_path / "g.png") == (3, 4)


def test_read_jpeg_bmp_tiff(tmp_path):
    grey = np.full((8, 10), 128, np.uint8)
    for ext in ("jpg", "bmp", "tif"):
        out = read_image(_save(tmp_path / f"x.{ext}", grey))
        assert out.shape == (8, 10) and abs(float(out.mean()) - 128 / 255) < 0.01
    Image.fromarray(np.linspace(-1, 3, 20, dtype=np.float32).reshape(4, 5)).save(tmp_path / "f.tif")
    f = read_image(tmp_path / "f.tif")  # float images are min-max scaled
    assert f.min() == 0.0 and f.max() == 1.0


def _write_dicom(path, pixels, photometric="MONOCHROME2", bits=8):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, UltrasoundImageStorage, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UltrasoundImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = UltrasoundImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns = pixels.shape[:2]
    ds.SamplesPerPixel = 3 if pixels.ndim == 3 else 1
    ds.PhotometricInterpretation = photometric
    if pixels.ndim == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8 if bits <= 8 else 16
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelRepresentation = 0
    ds.PixelData = pixels.tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def test_read_dicom_grey_rgb_and_monochrome1(tmp_path):
    grey = np.arange(20, dtype=np.uint8).reshape(4, 5) * 10
    p = _write_dicom(tmp_path / "a.dcm", grey)
    np.testing.assert_allclose(read_image(p), grey / 255.0, atol=1e-7)
    assert image_shape(p) == (4, 5)
    rgb = np.stack([grey, grey, 255 - grey], axis=2)
    np.testing.assert_allclose(
        read_image(_write_dicom(tmp_path / "b", rgb, "RGB")), rgb / 255.0, atol=1e-7
    )  # recognised without an extension
    inv = read_image(_write_dicom(tmp_path / "c.dcm", grey, "MONOCHROME1"))
    np.testing.assert_allclose(inv, 1 - grey / 255.0, atol=1e-7)
    twelve = np.arange(20, dtype=np.uint16).reshape(4, 5) * 200
    np.testing.assert_allclose(
        read_image(_write_dicom(tmp_path / "d.dcm", twelve, bits=12)), twelve / 4095.0, atol=1e-6
    )


def test_unreadable_and_missing_images(tmp_path):
    (tmp_path / "bad.png").write_bytes(b"not an image")
    with pytest.raises(InputError, match="not a readable"):
        read_image(tmp_path / "bad.png")
    with pytest.raises(InputError, match="image not found"):
        read_image(tmp_path / "nope.png")
    good = _save(tmp_path / "t.png", np.zeros((50, 50), np.uint8))
    (tmp_path / "trunc.png").write_bytes(good.read_bytes()[:60])
    with pytest.raises(InputError):
        read_image(tmp_path / "trunc.png")


# --------------------------------------------------------------------------- masks


@pytest.mark.parametrize("name", ["m.png", "m.nii", "m.nii.gz"])
def test_mask_round_trip_keeps_orientation(tmp_path, name):
    mask = np.zeros((6, 9), bool)  # not square: a transposition would show
    mask[1:3, 2:7] = True
    mask[4, 8] = True
    out = read_mask(write_mask(tmp_path / name, mask))
    assert out.dtype == bool and out.shape == (6, 9)
    np.testing.assert_array_equal(out, mask)


def test_mask_values_and_errors(tmp_path):
    m = np.zeros((4, 4), np.uint8)
    m[1, 1] = 1
    assert read_mask(_save(tmp_path / "one.png", m)).sum() == 1
    m[2, 2] = 2
    with pytest.raises(InputError, match="not binary .*3 distinct"):
        read_mask(_save(tmp_path / "two.png", m))
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[1, 1] = 255
    assert read_mask(_save(tmp_path / "rgb.png", rgb)).sum() == 1
    rgb[2, 2, 0] = 255
    with pytest.raises(InputError, match="differing channels"):
        read_mask(_save(tmp_path / "rgb2.png", rgb))
    import nibabel as nib

    nib.save(nib.Nifti1Image(np.ones((3, 3, 2), np.uint8), np.eye(4)), str(tmp_path / "v.nii.gz"))
    with pytest.raises(InputError, match="one 2-D slice"):
        read_mask(tmp_path / "v.nii.gz")


# --------------------------------------------------------------------------- preprocessing


def test_bounding_box_with_margin_is_clipped():
    mask = np.zeros((10, 12), bool)
    mask[3:5, 4:9] = True
    assert bounding_box(mask) == (3, 5, 4, 9)
    assert bounding_box(mask, 2) == (1, 7, 2, 11)
    assert bounding_box(mask, 50) == (0, 10, 0, 12)
    with pytest.raises(InputError, match="empty"):
        bounding_box(np.zeros((3, 3), bool))


def test_roi_tensor_crop_resize_normalise():
    image = np.zeros((20, 30), np.float32)
    image[5:10, 10:20] = 1.0  # the ROI is uniformly bright
    mask = np.zeros((20, 30), bool)
    mask[5:10, 10:20] = True
    s = Preprocessing(size=32)
    t = roi_tensor(image, mask, s)
    assert tuple(t.shape) == (3, 32, 32)
    expected = (1.0 - np.array(s.mean)) / np.array(s.std)
    np.testing.assert_allclose(t.mean(dim=(1, 2)).numpy(), expected, atol=1e-5)
    # margin brings dark background in; mask_outside zeroes it
    wide = roi_tensor(image, mask, Preprocessing(size=32, margin=5))
    assert float(wide[0].min()) < float(t[0].min())
    rgb = np.repeat(image[..., None], 3, axis=2)
    np.testing.assert_allclose(roi_tensor(rgb, mask, s).numpy(), t.numpy(), atol=1e-6)
    inner = mask.copy()
    inner[5, 10] = False
    zeroed = roi_tensor(image, inner, Preprocessing(size=32, mask_outside=True))
    assert float(zeroed[0].min()) < float(t[0].min())
    with pytest.raises(InputError, match="differs from image size"):
        roi_tensor(image, mask[:, :29], s)
    with pytest.raises(InputError, match="'size'"):
        Preprocessing(size=8)


# --------------------------------------------------------------------------- manifest


def _manifest(tmp_path, rows, header="patient_id,modality,rater,image,mask"):
    p = tmp_path / "manifest.csv"
    p.write_text(header + "\n" + "\n".join(rows) + "\n")
    return p


def test_manifest_relative_paths_and_text_ids(tmp_path):
    p = _manifest(tmp_path, ["007,CEUS,1,img/a.png,msk/a.png", "008,TDUS,2,/abs/b.png,b.png"])
    m = read_manifest(p)
    assert len(m) == 2 and m.rows[0].patient_id == "007"
    assert m.rows[0].image == tmp_path.resolve() / "img/a.png"
    assert str(m.rows[1].image) == "/abs/b.png"
    assert m.frame().shape == (2, 5)


@pytest.mark.parametrize(
    "rows,message",
    [
        (
            ["1,CEUS,1,a.png,a.png", "1,CEUS,1,b.png,b.png"],
            r"row 2 \(patient '1', CEUS, rater '1'\): duplicates row 1",
        ),
        (
            ["1,XRAY,1,a.png,a.png"],
            r"row 1 .*unknown modality 'XRAY' \(allowed: TDUS, CDUS, CEUS\)",
        ),
        (["1,CEUS,1,,a.png"], r"row 1 .*empty 'image'"),
    ],
)
def test_manifest_errors_name_the_row(tmp_path, rows, message):
    with pytest.raises(InputError, match=message):
        read_manifest(_manifest(tmp_path, rows), modalities=("TDUS", "CDUS", "CEUS"))


def test_manifest_missing_column_and_file(tmp_path):
    with pytest.raises(InputError, match="lacks column 'mask'"):
        read_manifest(_manifest(tmp_path, ["1,CEUS,1,a.png"], "patient_id,modality,rater,image"))
    with pytest.raises(InputError, match="manifest not found"):
        read_manifest(tmp_path / "none.csv")
    assert (
        len(read_manifest(_manifest(tmp_path, ["1,XRAY,1,a.png,a.png"]))) == 1
    )  # default: any name
