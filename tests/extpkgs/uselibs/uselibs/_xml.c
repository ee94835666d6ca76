/* libxml2: parse a string, return the root's name and its text. */
#include <Python.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static PyObject *parse(PyObject *self, PyObject *arg)
{
	Py_ssize_t len;
	const char *s = PyUnicode_AsUTF8AndSize(arg, &len);
	xmlDocPtr doc;
	xmlChar *text;
	PyObject *res;

	if (!s)
		return NULL;
	doc = xmlReadMemory(s, (int)len, "in.xml", "UTF-8", XML_PARSE_NONET);
	if (!doc)
		return PyErr_Format(PyExc_ValueError, "not well-formed");
	text = xmlNodeGetContent(xmlDocGetRootElement(doc));
	res = Py_BuildValue("(sss)", LIBXML_DOTTED_VERSION,
			    xmlDocGetRootElement(doc)->name, text);
	xmlFree(text);
	xmlFreeDoc(doc);
	return res;
}

static PyMethodDef methods[] = {
	{ "parse", parse, METH_O, NULL }, { NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "uselibs._xml", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__xml(void) { return PyModule_Create(&def); }
