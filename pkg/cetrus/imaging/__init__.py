"""Image + ROI mask I/O and DenseNet201 feature extraction (the paper's Section 2.5).

=======================  ==============================================================
module                   what
=======================  ==============================================================
``manifest``             :func:`read_manifest`: the ``patient_id, modality, rater, image,
                         mask`` CSV, checked row by row
``io``                   PNG/JPEG/BMP/TIFF/DICOM images, PNG/NIfTI binary masks
``preprocess``           crop to the mask's box (+ margin), optional zero outside, resize,
                         grey → 3 channels, ImageNet normalisation
``model``                torchvision DenseNet201 (ImageNet, state-dict file or seeded
                         random weights) and its 1,920 penultimate features
``extract``              :func:`extract_features`: batched, cached, atomic parquet output
``study``                :func:`study_features` (a study's manifest → features per
                         modality and rater) and :func:`split_feature_table` (the long
                         table ``cetrus extract`` writes → the same)
``synthetic``            small ultrasound-like image sets with two raters' masks
=======================  ==============================================================

torch/torchvision are imported only when features are actually computed.
"""

from cetrus.imaging.extract import (
    ExtractionReport,
    extract_features,
    feature_columns,
    read_features,
    run_extraction,
)
from cetrus.imaging.manifest import DEFAULT_MODALITIES, Manifest, ManifestRow, read_manifest
from cetrus.imaging.preprocess import Preprocessing
from cetrus.imaging.study import split_feature_table, study_features

__all__ = [
    "DEFAULT_MODALITIES",
    "ExtractionReport",
    "Manifest",
    "ManifestRow",
    "Preprocessing",
    "run_extraction",
    "extract_features",
    "feature_columns",
    "read_features",
    "read_manifest",
    "split_feature_table",
    "study_features",
]
