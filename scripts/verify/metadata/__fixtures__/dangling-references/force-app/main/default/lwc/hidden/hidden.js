import { LightningElement } from 'lwc';
export default class Hidden extends LightningElement {}
