"""The ``dataframe`` kind (alias ``dataframes``): pandas DataFrames as Parquet, through pyarrow.

pandas and pyarrow are imported on first use (extra ``tausestack-storage[dataframe]``). On the
local backend frames are written straight into the temporary file and read straight from the
file, so memory use is the same as ``to_parquet``/``read_parquet`` on a path.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from tausestack.core import ConfigurationError, InvalidInputError, ObjectNotFoundError, async_twin
from tausestack.storage._kinds import MISSING, StorageKind

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DataFrameStorage"]


def _pandas() -> Any:
    try:
        import pandas
        import pyarrow  # noqa: F401 - Parquet needs it
    except ImportError as exc:
        raise ConfigurationError(
            f"storage.dataframe needs pandas and pyarrow ({exc.name} is missing); "
            "install them with: pip install 'tausestack-storage[dataframe]'"
        ) from None
    return pandas


class DataFrameStorage(StorageKind):
    """DataFrames stored as Parquet; dtypes survive the round trip.

    Datetimes with time zones, categoricals, nullable integers and strings come back as they
    went in. As in Databutton, the index is dropped unless ``persist_index=True``.

    >>> storage.dataframe.put("sales", df)
    >>> storage.dataframe.get("sales").equals(df.reset_index(drop=True))
    True
    >>> storage.dataframes.concat("sales", more_rows)     # appends, returns the whole frame
    """

    namespace = "dataframe"

    def put(self, key: str, df: pd.DataFrame, *, persist_index: bool = False) -> None:
        """Store ``df`` as Parquet (replacing the old value atomically).

        :class:`InvalidInputError` (nothing written) when ``df`` is not a DataFrame or Parquet
        cannot hold it (non-string column names, mixed-type object columns...).
        """
        object_key = self._object_key(key)
        pandas = _pandas()
        if not isinstance(df, pandas.DataFrame):
            raise InvalidInputError(
                f"storage.dataframe.put({key!r}) needs a pandas DataFrame, not {type(df).__name__}"
            )
        if not all(isinstance(name, str) for name in df.columns):
            raise InvalidInputError(
                f"storage.dataframe.put({key!r}): Parquet column names must be strings (they would not "
                "come back as they went in); rename them, e.g. df.columns = df.columns.astype(str)"
            )
        try:
            with self._backend.open_write(object_key) as file:
                df.to_parquet(file, engine="pyarrow", index=bool(persist_index))
        except InvalidInputError:
            raise
        except (ValueError, TypeError, NotImplementedError) as exc:
            raise InvalidInputError(
                f"storage.dataframe.put({key!r}): this DataFrame cannot be stored as Parquet: {exc}"
            ) from None

    def get(self, key: str, default: Any = MISSING) -> Any:
        """The DataFrame under ``key``; ``default`` (called when callable) or ``FileNotFoundError``."""
        object_key = self._object_key(key)
        pandas = _pandas()
        path = self._backend.local_path(object_key)
        try:
            if path is not None:
                return pandas.read_parquet(path, engine="pyarrow")
            data = self._backend.read(object_key)
        except (ObjectNotFoundError, FileNotFoundError):
            return self._missing(key, default)
        return pandas.read_parquet(io.BytesIO(data), engine="pyarrow")

    def concat(self, key: str, df: pd.DataFrame, *, persist_index: bool = False) -> pd.DataFrame:
        """Append the rows of ``df`` to the frame under ``key`` (created when missing); return it all.

        Not atomic against concurrent writers of the same key: the last writer wins.
        """
        pandas = _pandas()
        self._object_key(key)
        if not isinstance(df, pandas.DataFrame):
            raise InvalidInputError(f"storage.dataframe.concat({key!r}) needs a pandas DataFrame")
        existing = self.get(key, default=None)
        combined = df if existing is None else pandas.concat([existing, df], ignore_index=not persist_index)
        self.put(key, combined, persist_index=persist_index)
        result: pd.DataFrame = combined if persist_index else combined.reset_index(drop=True)
        return result

    def add(self, key: str, df: pd.DataFrame, *, persist_index: bool = False) -> pd.DataFrame:
        """Databutton's name for :meth:`concat`: append rows to the stored frame."""
        return self.concat(key, df, persist_index=persist_index)

    def clear(self, key: str) -> None:
        """Remove every row of the stored frame, keeping its columns and dtypes.

        ``FileNotFoundError`` when there is no frame under ``key``.
        """
        existing = self.get(key)
        self.put(key, existing.iloc[0:0], persist_index=True)

    aput = async_twin(put)
    aget = async_twin(get)
    aconcat = async_twin(concat)
    aadd = async_twin(add)
    aclear = async_twin(clear)
