"""DataFrames as Parquet: dtypes survive, index dropped unless persist_index, concat/add/clear."""

from __future__ import annotations

import pandas as pd
import pytest

from tausestack.core import InvalidInputError, ObjectNotFoundError
from tausestack.core.testing import MotoServer
from tausestack.storage import Storage


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "when": pd.date_range("2024-03-30 22:00", periods=4, freq="h", tz="Europe/Madrid"),
            "naive": pd.date_range("2024-01-01", periods=4, freq="D"),
            "color": pd.Categorical(["red", "blue", "red", None], categories=["red", "blue", "green"]),
            "count": pd.array([1, None, 3, 4], dtype="Int64"),
            "small": pd.array([1, 2, None, 4], dtype="UInt8"),
            "flag": pd.array([True, None, False, True], dtype="boolean"),
            "name": pd.array(["ana", None, "ñandú", "z"], dtype="string"),
            "price": [1.5, 2.25, float("nan"), 4.0],
            "plain": ["a", "b", "c", "d"],
        },
        index=pd.Index([10, 20, 30, 40], name="row"),
    )


def test_dtypes_survive_and_index_is_dropped(store: Storage) -> None:
    df = _frame()
    store.dataframe.put("sales", df)
    back = store.dataframe.get("sales")
    pd.testing.assert_frame_equal(back, df.reset_index(drop=True))
    assert str(back["when"].dtype) == "datetime64[ns, Europe/Madrid]" or "Europe/Madrid" in str(
        back["when"].dtype
    )
    assert isinstance(back["color"].dtype, pd.CategoricalDtype)
    assert list(back["color"].cat.categories) == ["red", "blue", "green"]
    assert str(back["count"].dtype) == "Int64"
    assert str(back["small"].dtype) == "UInt8"
    assert isinstance(back["name"].dtype, pd.StringDtype)


def test_persist_index(store: Storage) -> None:
    df = _frame()
    store.dataframes.put("sales", df, persist_index=True)
    pd.testing.assert_frame_equal(store.dataframes.get("sales"), df)


def test_missing_default_delete_exists_list(store: Storage) -> None:
    with pytest.raises(FileNotFoundError) as info:
        store.dataframe.get("nope")
    assert isinstance(info.value, ObjectNotFoundError)
    assert store.dataframe.get("nope", default=None) is None
    empty = store.dataframe.get("nope", default=pd.DataFrame)
    assert isinstance(empty, pd.DataFrame)
    assert empty.empty
    store.dataframe.put("a/b", _frame())
    assert store.dataframe.exists("a/b")
    entry = store.dataframe.list()[0]
    assert (entry.name, entry.content_type) == ("a/b", "application/vnd.apache.parquet")
    assert entry.size > 0
    assert store.dataframe.delete("a/b") is True
    assert store.dataframe.delete("a/b") is False


def test_concat_add_clear(store: Storage) -> None:
    first = pd.DataFrame({"x": [1, 2]}, index=[5, 6])
    second = pd.DataFrame({"x": [3]})
    result = store.dataframe.concat("log", first)
    pd.testing.assert_frame_equal(result, pd.DataFrame({"x": [1, 2]}))
    result = store.dataframe.add("log", second)
    pd.testing.assert_frame_equal(result, pd.DataFrame({"x": [1, 2, 3]}))
    pd.testing.assert_frame_equal(store.dataframe.get("log"), pd.DataFrame({"x": [1, 2, 3]}))
    store.dataframe.clear("log")
    cleared = store.dataframe.get("log")
    assert cleared.empty
    assert list(cleared.columns) == ["x"]
    assert cleared["x"].dtype == "int64"
    with pytest.raises(FileNotFoundError):
        store.dataframe.clear("never-stored")


def test_bad_input_writes_nothing(store: Storage) -> None:
    with pytest.raises(InvalidInputError):
        store.dataframe.put("k", {"not": "a frame"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="column names"):
        store.dataframe.put("k", pd.DataFrame({1: [1]}))  # would come back as "1"
    with pytest.raises(InvalidInputError):
        store.dataframe.put("k", pd.DataFrame({"mixed": [1, "a", b"x"]}))
    assert not store.dataframe.exists("k")
    assert store.dataframe.list() == []


def test_failed_put_keeps_the_old_frame(store: Storage) -> None:
    store.dataframe.put("k", pd.DataFrame({"x": [1]}))
    with pytest.raises(InvalidInputError):
        store.dataframe.put("k", pd.DataFrame({"mixed": [1, "a", b"x"]}))
    pd.testing.assert_frame_equal(store.dataframe.get("k"), pd.DataFrame({"x": [1]}))


@pytest.mark.moto
def test_dataframes_on_s3(moto: MotoServer) -> None:
    moto.client("s3").create_bucket(Bucket="frames")
    store = Storage(f"s3://frames/p?endpoint_url={moto.endpoint_url}")
    df = _frame()
    store.dataframe.put("sales", df)
    pd.testing.assert_frame_equal(store.dataframe.get("sales"), df.reset_index(drop=True))
    store.dataframe.add("sales", df)
    assert len(store.dataframe.get("sales")) == 8


@pytest.mark.anyio
async def test_async_twins(store: Storage) -> None:
    df = pd.DataFrame({"x": [1, 2]})
    await store.dataframe.aput("k", df)
    pd.testing.assert_frame_equal(await store.dataframe.aget("k"), df)
    await store.dataframe.aadd("k", df)
    assert len(await store.dataframe.aget("k")) == 4
    await store.dataframe.aclear("k")
    assert (await store.dataframe.aget("k")).empty
