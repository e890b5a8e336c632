"""Settings: defaults, then the environment, then keyword overrides; bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from readout_qa.config import (
    DEFAULT_LLM_MODEL,
    LOCAL_EMBED_MODEL,
    OPENAI_API_BASE,
    ExtractiveConfig,
    RetrievalConfig,
    Settings,
)


def test_defaults_with_an_empty_environment():
    """No variables set: the offline product with its documented defaults."""
    s = Settings.from_env({})
    assert (s.top_k, s.chunk_size, s.llm_timeout, s.collection) == (8, 160, 120.0, "readouts")
    assert s.embed_model == LOCAL_EMBED_MODEL and s.uses_local_embeddings
    assert s.llm_model == DEFAULT_LLM_MODEL
    assert s.retrieval == RetrievalConfig() and s.extractive == ExtractiveConfig()


def test_environment_is_parsed_into_typed_fields():
    """Numbers become numbers and folders become expanded paths."""
    s = Settings.from_env(
        {
            "READOUT_QA_TOP_K": "5",
            "READOUT_QA_CHUNK_SIZE": "200",
            "READOUT_QA_LLM_TIMEOUT": "2.5",
            "READOUT_QA_MAX_FILE_MB": "0.5",
            "READOUT_QA_DATA_DIR": "~/qa-data",
            "READOUT_QA_COLLECTION": "test",
        }
    )
    assert (s.top_k, s.chunk_size, s.llm_timeout, s.max_file_mb) == (5, 200, 2.5, 0.5)
    assert s.data_dir == Path("~/qa-data").expanduser()
    assert s.collection == "test"
    assert s.max_file_bytes == 512 * 1024


def test_blank_variables_count_as_unset():
    """ "READOUT_QA_TOP_K=" in a .env file means the default, not an error."""
    s = Settings.from_env({"READOUT_QA_TOP_K": "  ", "OPENAI_API_KEY": ""})
    assert s.top_k == 8 and s.openai_api_key is None


def test_keyword_overrides_beat_the_environment():
    """An explicit argument wins over the environment."""
    s = Settings.from_env({"READOUT_QA_TOP_K": "5", "READOUT_QA_COLLECTION": "env"}, top_k=9)
    assert s.top_k == 9 and s.collection == "env"


def test_none_override_means_not_given():
    """ReadoutQA(data_dir=None) must not erase READOUT_QA_DATA_DIR."""
    s = Settings.from_env(
        {"READOUT_QA_TOP_K": "5", "READOUT_QA_DATA_DIR": "/env"}, top_k=None, data_dir=None
    )
    assert s.top_k == 5 and s.data_dir == Path("/env")


def test_folder_overrides_become_expanded_paths():
    """data_dir and prompts_dir given as strings are Paths with ~ expanded."""
    s = Settings.from_env({}, data_dir="~/x", prompts_dir="~/p")
    assert s.data_dir == Path("~/x").expanduser() and s.prompts_dir == Path("~/p").expanduser()


def test_dict_override_changes_only_the_fields_given():
    """retrieval={"rrf_k": 10} keeps every other tuning default."""
    s = Settings.from_env({}, retrieval={"rrf_k": 10}, extractive={"max_sentences": 1})
    assert s.retrieval == RetrievalConfig(rrf_k=10)
    assert s.extractive == ExtractiveConfig(max_sentences=1)


def test_config_object_override_is_used_as_is():
    """A config object may be passed whole."""
    cfg = RetrievalConfig(candidates=7)
    assert Settings.from_env({}, retrieval=cfg).retrieval is cfg


def test_dict_override_with_an_unknown_field_fails():
    """A typo in a tuning knob is an error, not a silent default."""
    with pytest.raises(TypeError):
        Settings.from_env({}, retrieval={"rrfk": 10})


def test_unknown_keyword_raises_type_error_naming_it():
    """ "topk=3" must not be silently ignored."""
    with pytest.raises(TypeError, match="topk"):
        Settings.from_env({}, topk=3)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("READOUT_QA_TOP_K", "0"),
        ("READOUT_QA_TOP_K", "-1"),
        ("READOUT_QA_TOP_K", "abc"),
        ("READOUT_QA_TOP_K", "1.5"),
        ("READOUT_QA_CHUNK_SIZE", "many"),
        ("READOUT_QA_LLM_TIMEOUT", "0"),
        ("READOUT_QA_LLM_TIMEOUT", "nan"),
        ("READOUT_QA_MAX_FILE_MB", "-2"),
    ],
)
def test_bad_numbers_raise_value_error_naming_the_variable(variable, value):
    """A user must learn which variable is wrong, not get a bare int() traceback."""
    with pytest.raises(ValueError, match=variable):
        Settings.from_env({variable: value})


def test_llm_is_none_without_a_key():
    """No API key: the product stays offline, whatever else is configured."""
    s = Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"})
    assert s.llm is None


def test_llm_settings_from_the_environment():
    """With a key, the chat model settings carry model, endpoint, key and timeout."""
    s = Settings.from_env(
        {
            "OPENAI_API_KEY": "k",
            "OPENAI_BASE_URL": "http://127.0.0.1:8000/v1/",
            "READOUT_QA_LLM_MODEL": "local-model",
            "READOUT_QA_LLM_TIMEOUT": "3",
        }
    )
    llm = s.llm
    assert llm is not None
    assert (llm.model, llm.api_key, llm.timeout) == ("local-model", "k", 3.0)
    assert llm.endpoint == "http://127.0.0.1:8000/v1"  # trailing slash dropped


def test_llm_endpoint_defaults_to_openai():
    """Without OPENAI_BASE_URL the endpoint is OpenAI's."""
    llm = Settings.from_env({"OPENAI_API_KEY": "k"}).llm
    assert llm is not None and llm.endpoint == OPENAI_API_BASE


def test_secrets_are_not_in_the_repr():
    """Settings are logged; keys and passwords must not be."""
    s = Settings.from_env({"OPENAI_API_KEY": "sk-secret", "READOUT_QA_AUTH": "u:pw"})
    assert "sk-secret" not in repr(s) and "pw" not in repr(s)
    assert "sk-secret" not in repr(s.llm)


def test_a_remote_embedding_model_is_not_local():
    """READOUT_QA_EMBED_MODEL switches to OpenAI embeddings."""
    s = Settings.from_env({"READOUT_QA_EMBED_MODEL": "text-embedding-3-small"})
    assert not s.uses_local_embeddings


def test_from_env_does_not_read_os_environ_when_given_a_mapping(monkeypatch):
    """An explicit mapping is the whole environment (tests and tools rely on it)."""
    monkeypatch.setenv("READOUT_QA_TOP_K", "3")
    assert Settings.from_env({}).top_k == 8
    assert Settings.from_env().top_k == 3


def test_bad_keyword_numbers_are_rejected_like_environment_ones():
    """ReadoutQA(top_k=0) is as wrong as READOUT_QA_TOP_K=0 and should say so."""
    with pytest.raises(ValueError, match="top_k"):
        Settings.from_env({}, top_k=0)
