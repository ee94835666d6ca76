use pyo3::prelude::*;

#[pyfunction]
fn answer() -> u32 {
    42
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(answer, m)?)
}
